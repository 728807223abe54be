// The one history store of a running studio, shared by the attempt service and the history API.
// If the store cannot be opened (read-only or full disk, a newer schema...) the studio still
// starts: status() says why, every store() call retries and otherwise throws that StudioError,
// and drawing goes on in memory.
import type { HistoryRecovery, HistoryStatus } from '#shared/contract/history.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { OpenOptions } from './database.ts'
import { HistoryStore } from './store.ts'
import { storageError } from './storage-errors.ts'

export class History {
  readonly dataDir: string
  readonly #options: OpenOptions
  #store: HistoryStore | null = null
  #problem: StudioError | null = null
  #recovered: HistoryRecovery | null = null
  #closed = false
  /** Why the history is off for this run (a read-only data folder): then it is never opened. */
  readonly #off: string | null

  constructor(dataDir: string, options: OpenOptions = {}, off: string | null = null) {
    this.dataDir = dataDir
    this.#options = options
    this.#off = off
    this.#tryOpen()
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

  close(): void {
    this.#closed = true
    this.#store?.close()
    this.#store = null
  }
}
