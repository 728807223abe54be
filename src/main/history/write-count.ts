// How many changes the history had made, recorded beside it in <dataDir>/history.count after
// every committed write: {"writes": N, "at": "<ISO time>"}. The database counts its own changes
// (history_meta.writes, kept by triggers); at start-up a database whose count is lower than the
// one recorded here lost changes it had committed: its -wal file was lost or damaged, or the file
// was emptied or replaced. The record is one fixed-size write in place, so it costs a few
// microseconds a commit; a record that cannot be read (a torn write after a power cut) is ignored.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const WRITE_COUNT_FILE = 'history.count'
const RECORD_BYTES = 80

export interface WriteCount {
  writes: number
  at: string
}

/** The recorded count, or null when there is none or it cannot be read. */
export function readWriteCount(dataDir: string): WriteCount | null {
  let text: string
  try {
    text = readFileSync(join(dataDir, WRITE_COUNT_FILE), 'utf8')
  } catch {
    return null
  }
  try {
    const value = JSON.parse(text) as Partial<WriteCount>
    if (Number.isSafeInteger(value.writes) && (value.writes as number) >= 0 && typeof value.at === 'string')
      return { writes: value.writes as number, at: value.at }
  } catch {
    // Torn or foreign: no record.
  }
  return null
}

/** Open for writing in place (a fresh file only when there is none: never truncate a record). */
function openRecord(path: string): number {
  try {
    return openSync(path, 'r+')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    return openSync(path, 'w')
  }
}

/** The record file of one open history; every failure is ignored (it is a safeguard, not data). */
export class WriteCountFile {
  readonly #path: string
  #fd: number | null = null
  #last = -1

  constructor(dataDir: string) {
    this.#path = join(dataDir, WRITE_COUNT_FILE)
  }

  record(writes: number, at: Date = new Date()): void {
    if (writes === this.#last) return
    try {
      this.#fd ??= openRecord(this.#path)
      const text = JSON.stringify({ writes, at: at.toISOString() })
      const bytes = Buffer.alloc(RECORD_BYTES, ' ')
      bytes.write(text)
      bytes[RECORD_BYTES - 1] = 0x0a
      writeSync(this.#fd, bytes, 0, RECORD_BYTES, 0)
      this.#last = writes
    } catch {
      // A full or read-only disk: the history's own writes report that.
    }
  }

  close(): void {
    if (this.#fd === null) return
    try {
      closeSync(this.#fd)
    } catch {
      // Already gone.
    }
    this.#fd = null
  }
}
