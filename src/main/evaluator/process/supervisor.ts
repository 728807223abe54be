// Main's side of the evaluation process: sends requests, matches replies, and keeps each
// session's journal (its reference and every edit) so that when the process dies or hangs, a
// new one is started and the journal replayed into it. The caller sees the same scores and
// loses nothing; in-flight requests are answered by the new process.
import { StudioError } from '#shared/contract/errors.ts'
import type { ErrorField } from '../core/error-field.ts'
import type { EvaluatorReply, EvaluatorRequest, EvaluatorState } from './protocol.ts'

/** One running evaluation process, however it was started. */
export interface EvaluatorChannel {
  send(request: EvaluatorRequest): void
  onReply(listener: (reply: EvaluatorReply) => void): void
  /** Called once when the process ends for any reason. */
  onExit(listener: (reason: string) => void): void
  terminate(): Promise<void>
  /** Keep the host process alive while requests are unanswered (true), or not (false). */
  hold?(busy: boolean): void
}

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
type Body = DistributiveOmit<EvaluatorRequest, 'id' | 'session'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

interface Pending {
  request: EvaluatorRequest
  resolve(reply: Extract<EvaluatorReply, { ok: true }>): void
  reject(error: Error): void
  sentAt: number
}

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

  private readonly launch: EvaluatorLauncher
  private readonly timeoutMs: number
  private readonly maxRestarts: number
  private readonly windowMs: number
  private channel: EvaluatorChannel | null = null
  private readonly journals = new Map<string, Journal>()
  private readonly pending = new Map<number, Pending>()
  private readonly restartTimes: number[] = []
  private nextId = 1
  private watchdog: ReturnType<typeof setInterval> | null = null
  private failure: StudioError | null = null
  private disposed = false

  constructor(launch: EvaluatorLauncher, options: SupervisorOptions = {}) {
    this.launch = launch
    this.timeoutMs = options.requestTimeoutMs ?? 20_000
    this.maxRestarts = options.maxRestarts ?? 5
    this.windowMs = options.restartWindowMs ?? 60_000
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
    return this.request(session, body, entry).then((r) => r.state)
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
    if (this.watchdog) clearInterval(this.watchdog)
    this.watchdog = null
    const channel = this.channel
    this.channel = null
    this.failAll(new StudioError('evaluator', 'the evaluator was shut down'))
    await channel?.terminate()
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

  private request(
    session: string,
    body: Body,
    entry: JournalEntry | null
  ): Promise<Extract<EvaluatorReply, { ok: true }>> {
    if (this.disposed) return Promise.reject(new StudioError('evaluator', 'the evaluator was shut down'))
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    const request = { ...body, id, session } as EvaluatorRequest
    if (entry) entry.pendingId = id
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.ensureChannel().hold?.(true)
      this.pending.set(id, {
        request,
        sentAt: Date.now(),
        resolve: (reply) => {
          if (entry) entry.pendingId = null
          resolve(reply)
        },
        reject: (error) => {
          if (entry) entry.pendingId = null
          reject(error)
        }
      })
      this.ensureChannel().send(request)
    })
  }

  private ensureChannel(): EvaluatorChannel {
    if (this.channel) return this.channel
    const channel = this.launch()
    this.channel = channel
    channel.onReply((reply) => {
      if (this.channel === channel) this.settle(reply)
    })
    channel.onExit((reason) => {
      if (this.channel === channel && !this.disposed) this.recover(`the evaluation process ended (${reason})`)
    })
    this.watchdog ??= setInterval(() => this.checkHung(), Math.max(50, Math.min(1000, this.timeoutMs / 4)))
    this.watchdog.unref?.()
    return channel
  }

  private settle(reply: EvaluatorReply): void {
    const p = this.pending.get(reply.id)
    if (!p) return // a replayed edit nobody waits for
    this.pending.delete(reply.id)
    if (this.pending.size === 0) this.channel?.hold?.(false)
    if (reply.ok) p.resolve(reply)
    else p.reject(new StudioError(reply.error.code, reply.error.message))
  }

  private checkHung(): void {
    if (!this.channel || this.pending.size === 0) return
    const now = Date.now()
    for (const p of this.pending.values()) {
      if (now - p.sentAt > this.timeoutMs) {
        this.recover(`the evaluation process did not answer ${p.request.type} within ${this.timeoutMs} ms`)
        return
      }
    }
  }

  /** Replace a dead or hung process and replay every session into the new one. */
  private recover(reason: string): void {
    const dead = this.channel
    this.channel = null
    void dead?.terminate()
    const now = Date.now()
    this.restartTimes.push(now)
    while (this.restartTimes.length > 0 && now - this.restartTimes[0] > this.windowMs) this.restartTimes.shift()
    if (this.restartTimes.length > this.maxRestarts) {
      this.failure = new StudioError(
        'evaluator',
        `the evaluation process keeps failing (${reason}); restart Sightline to try again`
      )
      this.failAll(this.failure)
      return
    }
    this.restarts++
    console.warn(`[sightline] ${reason}; restarting it and replaying ${this.journals.size} session(s)`)
    const channel = this.ensureChannel()
    if (this.pending.size > 0) channel.hold?.(true)
    const replayed = new Set<number>()
    for (const [session, journal] of this.journals) {
      for (const entry of [journal.init, ...journal.edits]) {
        const id = entry.pendingId ?? this.nextId++
        if (entry.pendingId !== null) {
          replayed.add(id)
          const p = this.pending.get(id)
          if (p) p.sentAt = Date.now()
        }
        channel.send({ ...entry.body, id, session } as EvaluatorRequest)
      }
    }
    // Requests outside the journals (scores, error fields, close) are sent again as they were.
    for (const [id, p] of this.pending) {
      if (replayed.has(id)) continue
      p.sentAt = Date.now()
      channel.send(p.request)
    }
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error)
    this.pending.clear()
    this.channel?.hold?.(false)
  }
}
