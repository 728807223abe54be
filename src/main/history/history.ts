// The one history store of a running studio, shared by the attempt service and the history API.
// If the store cannot be opened (read-only or full disk, a newer schema...) the studio still
// starts: status() says why, every store() call retries and otherwise throws that StudioError,
// and drawing goes on in memory. Once a day, at start-up, a backup is made in the background;
// restore() puts a backup in place of the history (the replaced one is set aside, not deleted).
import { existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { HistoryBackup, HistoryRecovery, HistoryRestore, HistoryStatus } from '#shared/contract/history.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { backupDue, copyBackupInto, listBackups, makeBackup, publicBackup } from './backups.ts'
import { DatabaseSync } from 'node:sqlite'
import { DATABASE_FILE, type OpenOptions } from './database.ts'
import { HistoryStore } from './store.ts'
import { storageError } from './storage-errors.ts'
import { readWriteCount } from './write-count.ts'

export class History {
  readonly dataDir: string
  readonly #options: OpenOptions
  #store: HistoryStore | null = null
  #problem: StudioError | null = null
  #recovered: HistoryRecovery | null = null
  #closed = false
  #backup: Promise<void> = Promise.resolve()
  /** Why the history is off for this run (a read-only data folder): then it is never opened. */
  readonly #off: string | null

  constructor(dataDir: string, options: OpenOptions = {}, off: string | null = null) {
    this.dataDir = dataDir
    this.#options = options
    this.#off = off
    if (this.#tryOpen()) this.#backup = this.#dailyBackup()
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date()
  }

  #tryOpen(): HistoryStore | null {
    if (this.#off !== null) {
      this.#problem = new StudioError('storage', this.#off)
      return null
    }
    try {
      this.#store = HistoryStore.open(this.dataDir, this.#options)
      this.#recovered ??= this.#store.recovered
      this.#problem = null
    } catch (err) {
      this.#problem = err instanceof StudioError ? err : storageError(err, 'open the history', this.dataDir)
    }
    return this.#store
  }

  /**
   * A copy of the history when the newest is a day old; none when the history was found damaged
   * or lacking changes (its good backups must not rotate out). Failures are only logged: a
   * missing backup never stops the studio.
   */
  async #dailyBackup(): Promise<void> {
    const store = this.#store
    if (!store || store.recovered) return
    const now = this.#now()
    if (!backupDue(store.backupsAtOpen, now) || store.changes() === 0) return
    try {
      await makeBackup(store.path, this.dataDir, now)
    } catch (err) {
      console.warn(`[sightline] ${(err as Error).message}`)
    }
  }

  /** Resolves once the start-up backup (if any) is done: for tests and an orderly shutdown. */
  backupSettled(): Promise<void> {
    return this.#backup
  }

  /** Ready or not, and why; an unavailable history is retried first, so the answer is current. */
  status(): HistoryStatus {
    if (!this.#store && !this.#closed) this.#tryOpen()
    if (this.#store) return { state: 'ready', dataDir: this.dataDir, recovered: this.#recovered }
    return {
      state: 'unavailable',
      dataDir: this.dataDir,
      problem: this.#unavailable().message,
      recovered: this.#recovered
    }
  }

  /** The open store; retries opening it if it is unavailable, else throws why. */
  store(): HistoryStore {
    const store = this.#store ?? (this.#closed ? null : this.#tryOpen())
    if (!store) throw this.#unavailable()
    return store
  }

  #unavailable(): StudioError {
    if (this.#closed) return new StudioError('storage', `the history in ${this.dataDir} is closed`)
    return this.#problem ?? new StudioError('storage', `the history in ${this.dataDir} is not open`)
  }

  backups(): HistoryBackup[] {
    return listBackups(this.dataDir).map(publicBackup)
  }

  /**
   * Replace the history with backup `name`: the history is closed, moved aside (with its -wal
   * and -shm) as history.replaced-<time>.sqlite, the backup copied into its place and opened.
   */
  async restore(name: string): Promise<HistoryRestore> {
    if (this.#closed) throw this.#unavailable()
    const backup = listBackups(this.dataDir).find((b) => b.name === name)
    if (!backup) throw new StudioError('not-found', `no backup "${name}" in ${join(this.dataDir, 'backups')}`)
    await this.#backup
    this.#store?.close()
    this.#store = null
    const path = join(this.dataDir, DATABASE_FILE)
    const at = this.#now()
    let replacedMovedTo: string | null = null
    try {
      if (existsSync(path)) {
        const base = join(this.dataDir, `history.replaced-${at.toISOString().replace(/[:.]/g, '-')}`)
        replacedMovedTo = `${base}.sqlite`
        for (let n = 2; existsSync(replacedMovedTo); n++) replacedMovedTo = `${base}-${n}.sqlite`
        renameSync(path, replacedMovedTo)
        for (const side of ['-wal', '-shm']) {
          if (existsSync(path + side)) renameSync(path + side, replacedMovedTo + side)
        }
      }
      copyBackupInto(backup, path)
      // Restoring is a change: the restored history counts past every count seen so far, so the
      // newer backups and the recorded count do not make it look like a history that lost changes.
      const seen = Math.max(
        readWriteCount(this.dataDir)?.writes ?? 0,
        ...listBackups(this.dataDir).map((b) => b.writes)
      )
      const db = new DatabaseSync(path)
      try {
        db.prepare("UPDATE history_meta SET value = max(value, ?) + 1 WHERE key = 'writes'").run(seen)
      } finally {
        db.close()
      }
    } catch (err) {
      this.#tryOpen()
      throw storageError(err, `restore the backup ${name}`, path, this.dataDir)
    }
    const store = this.#tryOpen()
    if (!store) throw this.#unavailable()
    this.#recovered = null
    return { restored: publicBackup(backup), replacedMovedTo, status: this.status() }
  }

  /** Checkpoint and close the history (the composition root calls this when the studio stops). */
  close(): void {
    this.#closed = true
    this.#store?.close()
    this.#store = null
  }
}
