// A damaged or foreign history database: set aside (with its -wal/-shm), a fresh one started,
// and the reason reported; never deleted, never a crash.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { openStudio } from '#test/helpers/studio.ts'
import { DAMAGED_MARKER, DATABASE_FILE } from '#main/history/database.ts'
import { HistoryStore } from '#main/history/store.ts'
import { testDir } from './fixtures/dirs.ts'
import { reference, scored, stroke } from './fixtures/data.ts'

const stores: HistoryStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function open(dir: string, now?: Date): HistoryStore {
  const store = HistoryStore.open(dir, now ? { now: () => now } : {})
  stores.push(store)
  return store
}

/** A real history with `attempts` attempts of `strokes` big strokes each, checkpointed into the main file. */
function realHistory(dir: string, attempts = 20, strokes = 10): string[] {
  const store = HistoryStore.open(dir)
  store.upsertReference(reference())
  const ids: string[] = []
  for (let a = 0; a < attempts; a++) {
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    for (let s = 0; s < strokes; s++)
      store.appendJournal(attemptId, {
        op: { kind: 'stroke', stroke: stroke(a * 100 + s, 200) },
        evaluation: scored(s),
        activeMs: s
      })
    ids.push(attemptId)
  }
  store.close() // the last connection closing checkpoints the WAL into history.sqlite
  return ids
}

const NOW = new Date(Date.UTC(2026, 10, 27, 14, 41, 59, 123))
const ASIDE = `history.corrupt-2026-11-27T14-41-59-123Z.sqlite`

function expectFresh(store: HistoryStore): void {
  store.upsertReference(reference())
  const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
  store.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: scored(1), activeMs: 0 })
  expect(store.findUnfinishedAttempt()?.entries).toHaveLength(1)
}

describe('a history database that cannot be used', () => {
  it('is set aside when it is garbage, and a fresh one starts', () => {
    const dir = testDir()
    const garbage = Buffer.from('this is not an SQLite database, just some bytes. '.repeat(100))
    writeFileSync(join(dir, DATABASE_FILE), garbage)
    writeFileSync(join(dir, `${DATABASE_FILE}-wal`), 'stale wal')
    writeFileSync(join(dir, `${DATABASE_FILE}-shm`), 'stale shm')
    const store = open(dir, NOW)
    expect(store.recovered).toEqual({
      kind: 'set-aside',
      reason: expect.stringMatching(/^history\.sqlite could not be used: it is damaged \(file is not a database\)/),
      movedTo: join(dir, ASIDE),
      at: NOW.toISOString(),
      backup: null
    })
    expect(readFileSync(join(dir, ASIDE))).toEqual(garbage)
    expect(readFileSync(join(dir, `${ASIDE}-wal`), 'utf8')).toBe('stale wal')
    // The -shm is SQLite's shared-memory index, rebuilt on every open: moved along, content not kept.
    expect(existsSync(join(dir, `${ASIDE}-shm`))).toBe(true)
    expectFresh(store)
  })

  it('is set aside when a real history was truncated', async () => {
    const dir = testDir()
    realHistory(dir)
    const path = join(dir, DATABASE_FILE)
    const size = statSync(path).size
    expect(existsSync(`${path}-wal`)).toBe(false)
    truncateSync(path, Math.floor(size / 3))
    const store = open(dir, NOW)
    expect(store.recovered?.reason).toMatch(/damaged|integrity/)
    expect(statSync(join(dir, ASIDE)).size).toBe(Math.floor(size / 3))
    await expect(store.listAttempts({ page: 0, pageSize: 5 })).resolves.toMatchObject({ total: 0 })
    expectFresh(store)
  })

  it('is set aside when it is some other SQLite database', () => {
    const dir = testDir()
    const other = new DatabaseSync(join(dir, DATABASE_FILE))
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')")
    other.close()
    const store = open(dir, NOW)
    expect(store.recovered?.reason).toBe(
      'history.sqlite could not be used: it is an SQLite database, but not a Sightline history'
    )
    const aside = new DatabaseSync(join(dir, ASIDE))
    expect(aside.prepare('SELECT text FROM notes').get()).toEqual({ text: 'keep me' })
    aside.close()
    expectFresh(store)
  })

  it('is set aside when it is a folder', () => {
    const dir = testDir()
    mkdirSync(join(dir, DATABASE_FILE))
    const store = open(dir, NOW)
    expect(store.recovered?.reason).toBe('history.sqlite could not be used: it is not a regular file')
    expect(statSync(join(dir, ASIDE)).isDirectory()).toBe(true)
    expectFresh(store)
  })

  it('never overwrites an earlier damaged copy', () => {
    const dir = testDir()
    writeFileSync(join(dir, DATABASE_FILE), 'garbage one, long enough to be read as a header'.repeat(20))
    open(dir, NOW).close()
    writeFileSync(join(dir, DATABASE_FILE), 'garbage two, long enough to be read as a header'.repeat(20))
    for (const side of ['-wal', '-shm']) writeFileSync(join(dir, DATABASE_FILE + side), '')
    const second = open(dir, NOW)
    expect(second.recovered?.movedTo).toBe(join(dir, 'history.corrupt-2026-11-27T14-41-59-123Z-2.sqlite'))
    expect(readFileSync(join(dir, ASIDE), 'utf8')).toMatch(/^garbage one/)
  })

  it('found damaged in use: the call fails clearly, and the next start sets it aside', async () => {
    const dir = testDir()
    const ids = realHistory(dir, 20, 10)
    const path = join(dir, DATABASE_FILE)
    // The journal (big strokes, written after the attempts) fills the back of the file: wreck
    // whole pages there, leaving the small tables at the front intact.
    const size = statSync(path).size
    const fd = openSync(path, 'r+')
    for (let page = Math.floor(size / 4096 / 2); page < size / 4096 - 2; page += 1)
      writeSync(fd, Buffer.alloc(4096, 0xff), 0, 4096, page * 4096)
    closeSync(fd)

    const store = open(dir, NOW)
    expect(store.recovered).toBeNull() // the quick start-up check only covers the small tables
    let failure: unknown = null
    for (const id of ids) {
      try {
        store.attemptJournal(id)
      } catch (err) {
        failure = err
        break
      }
    }
    expect(failure).toMatchObject({
      code: 'storage',
      message: `could not read the attempt journal: the history ${path} is damaged; it will be set aside and a fresh history started the next time Sightline starts`
    })
    expect(readFileSync(join(dir, DAMAGED_MARKER), 'utf8')).toMatch(/read the attempt journal/)
    store.close()

    const next = open(dir, NOW)
    expect(next.recovered?.reason).toMatch(/found damaged while trying to read the attempt journal/)
    expect(existsSync(join(dir, DAMAGED_MARKER))).toBe(false)
    expect(existsSync(join(dir, ASIDE))).toBe(true)
    expectFresh(next)
  })

  it('lets the studio start and say what happened', async () => {
    const dir = testDir()
    writeFileSync(join(dir, DATABASE_FILE), Buffer.alloc(8192, 0x42))
    const { api } = await openStudio({ dataDir: dir })
    const status = await api.historyStatus()
    expect(status).toMatchObject({
      state: 'ready',
      dataDir: dir,
      recovered: { movedTo: expect.stringMatching(/history\.corrupt-.*\.sqlite$/) }
    })
    expect(await api.listAttempts({})).toMatchObject({ items: [], total: 0 })
    expect(readdirSync(dir).filter((n) => n.startsWith('history.corrupt-'))).toHaveLength(1)
  })
})
