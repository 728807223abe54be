// Main's side of the evaluation process: sends requests, matches replies, and keeps each
// session's journal (its reference and every edit) so that when the process dies or hangs, a
// new one is started and the journal replayed into it. The caller sees the same scores and
// loses nothing; in-flight requests are answered by the new process.
//
// Sending, matching and timing out are the request/reply layer's (src/shared/rpc/client.ts):
// its timeout and its port closing both lead here to recover().
import { StudioError } from '#shared/contract/errors.ts'
import { RpcClient } from '#shared/rpc/client.ts'
import type { ErrorField } from '../core/error-field.ts'
import type { EvaluatorAnswer, EvaluatorChannel, EvaluatorRequest, EvaluatorState } from './protocol.ts'

export type { EvaluatorChannel } from './protocol.ts'

/** Starts one evaluation process and returns main's end of its port. */
export type EvaluatorLauncher = () => EvaluatorChannel

export interface SupervisorOptions {
  /** A request unanswered this long means the process hangs: it is restarted. */
  requestTimeoutMs?: number
  /** More restarts than this within restartWindowMs and the supervisor gives up. */
  maxRestarts?: number
  restartWindowMs?: number
}

export interface SessionInit {
  width: number
  height: number
  reference: Uint8Array
  tolerancePx?: number
}

type Edit = { type: 'add' | 'erase'; pixels: Int32Array } | { type: 'clear' | 'undo' | 'redo' }
type Body = DistributiveOmit<EvaluatorRequest, 'session'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

interface JournalEntry {
  body: Body
  /** The id of the caller's request while it is unanswered, so a replay can answer it. */
  pendingId: number | null
}

interface Journal {
  init: JournalEntry
  edits: JournalEntry[]
}

export class EvaluatorSupervisor {
  /** How many times the process was restarted after dying or hanging. */
  restarts = 0

  private readonly timeoutMs: number
  private readonly maxRestarts: number
  private readonly windowMs: number
  private readonly client: RpcClient
  private readonly journals = new Map<string, Journal>()
  private readonly restartTimes: number[] = []
  private failure: StudioError | null = null
  private disposed = false

  constructor(launch: EvaluatorLauncher, options: SupervisorOptions = {}) {
    this.timeoutMs = options.requestTimeoutMs ?? 20_000
    this.maxRestarts = options.maxRestarts ?? 5
    this.windowMs = options.restartWindowMs ?? 60_000
    this.client = new RpcClient({
      connect: launch,
      timeoutMs: this.timeoutMs,
      onTimeout: (call) =>
        this.recover(`the evaluation process did not answer ${call.method} within ${this.timeoutMs} ms`),
      onClose: (reason) => {
        if (!this.disposed) this.recover(`the evaluation process ended (${reason})`)
      }
    })
  }

  /** Start (or restart) a session on a reference; its drawing is empty. */
  open(session: string, init: SessionInit): Promise<EvaluatorState> {
    const body: Body = {
      type: 'init',
      width: init.width,
      height: init.height,
      reference: init.reference,
      tolerancePx: init.tolerancePx
    }
    const entry: JournalEntry = { body, pendingId: null }
    this.journals.set(session, { init: entry, edits: [] })
    return this.request(session, body, entry).then((answer) => answer.state)
  }

  add(session: string, pixels: Int32Array): Promise<EvaluatorState> {
    return this.edit(session, { type: 'add', pixels })
  }

  erase(session: string, pixels: Int32Array): Promise<EvaluatorState> {
    return this.edit(session, { type: 'erase', pixels })
  }

  /** Erase the whole drawing as one undoable edit. */
  clear(session: string): Promise<EvaluatorState> {
    return this.edit(session, { type: 'clear' })
  }

  undo(session: string): Promise<EvaluatorState> {
    return this.edit(session, { type: 'undo' })
  }

  redo(session: string): Promise<EvaluatorState> {
    return this.edit(session, { type: 'redo' })
  }

  /** Empty the drawing and forget its history. */
  async reset(session: string): Promise<EvaluatorState> {
    const journal = this.requireJournal(session)
    journal.edits = []
    return (await this.request(session, { type: 'reset' }, null)).state
  }

  async scores(session: string): Promise<EvaluatorState> {
    this.requireJournal(session)
    return (await this.request(session, { type: 'scores' }, null)).state
  }

  async errorField(session: string): Promise<ErrorField | null> {
    this.requireJournal(session)
    return (await this.request(session, { type: 'errorField' }, null)).field ?? null
  }

  async close(session: string): Promise<void> {
    if (!this.journals.delete(session)) return
    // A process restarted meanwhile never had the session: nothing left to close.
    await this.request(session, { type: 'close' }, null).catch(() => undefined)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    await this.client.close(new StudioError('evaluator', 'the evaluator was shut down'))
  }

  private requireJournal(session: string): Journal {
    const journal = this.journals.get(session)
    if (!journal) throw new StudioError('evaluator', `no evaluation session "${session}"`)
    return journal
  }

  private async edit(session: string, edit: Edit): Promise<EvaluatorState> {
    const journal = this.requireJournal(session)
    const entry: JournalEntry = { body: edit, pendingId: null }
    journal.edits.push(entry)
    try {
      return (await this.request(session, edit, entry)).state
    } catch (err) {
      // The evaluator refuses bad edits before changing anything: drop it from the journal.
      const at = journal.edits.indexOf(entry)
      if (at >= 0) journal.edits.splice(at, 1)
      throw err
    }
  }

  private request(session: string, body: Body, entry: JournalEntry | null): Promise<EvaluatorAnswer> {
    if (this.disposed) return Promise.reject(new StudioError('evaluator', 'the evaluator was shut down'))
    if (this.failure) return Promise.reject(this.failure)
    const call = this.client.request(body.type, { ...body, session } as EvaluatorRequest)
    if (entry) entry.pendingId = call.id
    const done = (): void => {
      if (entry && entry.pendingId === call.id) entry.pendingId = null
    }
    return call.reply.then(
      (answer) => {
        done()
        return answer as EvaluatorAnswer
      },
      (error: unknown) => {
        done()
        throw error
      }
    )
  }

  /** Replace a dead or hung process and replay every session into the new one. */
  private recover(reason: string): void {
    void this.client.disconnect() // the dead or hung process is ended; the next message starts a new one
    const now = Date.now()
    this.restartTimes.push(now)
    while (this.restartTimes.length > 0 && now - this.restartTimes[0] > this.windowMs) this.restartTimes.shift()
    if (this.restartTimes.length > this.maxRestarts) {
      this.failure = new StudioError(
        'evaluator',
        `the evaluation process keeps failing (${reason}); restart Sightline to try again`
      )
      this.client.failAll(this.failure)
      return
    }
    this.restarts++
    console.warn(`[sightline] ${reason}; restarting it and replaying ${this.journals.size} session(s)`)
    // In journal order: an edit still waiting is sent again under its own id (its caller gets the
    // new process's reply); the others are replayed with replies nobody waits for.
    const replayed = new Set<number>()
    for (const [session, journal] of this.journals) {
      for (const entry of [journal.init, ...journal.edits]) {
        const request = { ...entry.body, session } as EvaluatorRequest
        if (entry.pendingId !== null && this.client.resend(entry.pendingId)) replayed.add(entry.pendingId)
        else this.client.notify(request.type, request)
      }
    }
    // Requests outside the journals (scores, reset, close) are sent again as they were.
    for (const call of this.client.waitingCalls()) if (!replayed.has(call.id)) this.client.resend(call.id)
  }
}
