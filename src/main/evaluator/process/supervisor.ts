// Main's side of the evaluation process: sends requests and matches replies. It keeps no copy
// of the drawings: each session's owner (the attempt service) holds its history, and the
// supervisor builds a session in the process from the owner's snapshot (its reference and its
// edits as pixels), both to open it and, when the process dies or hangs, to rebuild it in a new
// one. Requests still unanswered then are sent again after it, so they are answered by the new
// process and the caller sees the same scores.
import { StudioError } from '#shared/contract/errors.ts'
import type { History } from '#shared/edit-history/history.ts'
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

export interface SessionInit {
  width: number
  height: number
  reference: Uint8Array
  tolerancePx?: number
}

/** An edit as the evaluation process applies it: a stroke's pixels added or erased, or a clear. */
export type PixelEdit = { type: 'add' | 'erase'; pixels: Int32Array } | { type: 'clear' }

/** Everything a session is: its reference, and its edit history (the redo tail too) as pixel edits. */
export interface SessionSnapshot {
  init: SessionInit
  history: History<PixelEdit>
}

/**
 * The owner of the sessions' histories. Its snapshot of a session holds every edit the
 * supervisor has answered and none it has not (those are sent again after it); null for a
 * session it does not know.
 */
export interface SessionOwner {
  snapshot(session: string): SessionSnapshot | null
}

export interface SupervisorOptions {
  /** Where each session's snapshot comes from. */
  sessions: SessionOwner
  /** A request unanswered this long means the process hangs: it is restarted. */
  requestTimeoutMs?: number
  /** More restarts than this within restartWindowMs and the supervisor gives up. */
  maxRestarts?: number
  restartWindowMs?: number
}

type Body = DistributiveOmit<EvaluatorRequest, 'id' | 'session'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

interface Pending {
  request: EvaluatorRequest
  resolve(reply: Extract<EvaluatorReply, { ok: true }>): void
  reject(error: Error): void
  sentAt: number
}

export class EvaluatorSupervisor {
  /** How many times the process was restarted after dying or hanging. */
  restarts = 0

  private readonly launch: EvaluatorLauncher
  private readonly owner: SessionOwner
  private readonly timeoutMs: number
  private readonly maxRestarts: number
  private readonly windowMs: number
  private channel: EvaluatorChannel | null = null
  /** The open sessions: the process has them, or is being given them. */
  private readonly sessions = new Set<string>()
  /** Requests that build a session from its snapshot (nobody waits for their replies). */
  private readonly building = new Map<number, { session: string; afterRestart: boolean }>()
  private readonly pending = new Map<number, Pending>()
  private readonly restartTimes: number[] = []
  private nextId = 1
  private watchdog: ReturnType<typeof setInterval> | null = null
  private failure: StudioError | null = null
  private disposed = false

  constructor(launch: EvaluatorLauncher, options: SupervisorOptions) {
    this.launch = launch
    this.owner = options.sessions
    this.timeoutMs = options.requestTimeoutMs ?? 20_000
    this.maxRestarts = options.maxRestarts ?? 5
    this.windowMs = options.restartWindowMs ?? 60_000
  }

  /**
   * Open (or open again) a session: the process is given its owner's snapshot, the reference
   * and every edit so far. Answers the scores of the drawing it holds.
   */
  async open(session: string): Promise<EvaluatorState> {
    const unusable = this.unusable()
    if (unusable) throw unusable
    this.sessions.add(session)
    try {
      this.build(this.ensureChannel(), session, false)
    } catch (err) {
      this.sessions.delete(session)
      throw err
    }
    // Answered after the snapshot is in; an init the process refuses (no ink) fails it instead.
    return (await this.request(session, { type: 'scores' })).state
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
    this.requireSession(session)
    return (await this.request(session, { type: 'scores' })).state
  }

  async errorField(session: string): Promise<ErrorField | null> {
    this.requireSession(session)
    return (await this.request(session, { type: 'errorField' })).field ?? null
  }

  async close(session: string): Promise<void> {
    if (!this.sessions.delete(session)) return
    // A process restarted meanwhile never had the session: nothing left to close.
    await this.request(session, { type: 'close' }).catch(() => undefined)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    if (this.watchdog) clearInterval(this.watchdog)
    this.watchdog = null
    const channel = this.channel
    this.channel = null
    this.building.clear()
    this.failAll(new StudioError('evaluator', 'the evaluator was shut down'))
    await channel?.terminate()
  }

  private requireSession(session: string): void {
    if (!this.sessions.has(session)) throw new StudioError('evaluator', `no evaluation session "${session}"`)
  }

  private async edit(session: string, edit: Body): Promise<EvaluatorState> {
    this.requireSession(session)
    return (await this.request(session, edit)).state
  }

  private unusable(): StudioError | null {
    if (this.disposed) return new StudioError('evaluator', 'the evaluator was shut down')
    return this.failure
  }

  /**
   * Send the requests that give the process a session from its owner's snapshot: its reference,
   * every edit of its history, then undos back to the cursor (so redo works as before).
   */
  private build(channel: EvaluatorChannel, session: string, afterRestart: boolean): void {
    const snapshot = this.owner.snapshot(session)
    if (!snapshot)
      throw new StudioError('evaluator', `no evaluation session "${session}" (its owner has no such drawing)`)
    const { init, history } = snapshot
    // Replies to an earlier build of the same session no longer say anything about it.
    for (const [id, b] of this.building) if (b.session === session) this.building.delete(id)
    const send = (body: Body): void => {
      const id = this.nextId++
      this.building.set(id, { session, afterRestart })
      channel.send({ ...body, id, session } as EvaluatorRequest)
    }
    send({
      type: 'init',
      width: init.width,
      height: init.height,
      reference: init.reference,
      tolerancePx: init.tolerancePx
    })
    for (const edit of history.ops) send(edit)
    for (let i = history.cursor; i < history.ops.length; i++) send({ type: 'undo' })
  }

  /** A session the process could not be given: it is closed, and what was asked of it fails with why. */
  private lose(session: string, error: StudioError): void {
    if (!this.sessions.delete(session)) return
    for (const [id, b] of this.building) if (b.session === session) this.building.delete(id)
    for (const [id, p] of this.pending) {
      if (p.request.session !== session) continue
      this.pending.delete(id)
      p.reject(error)
    }
    if (this.pending.size === 0) this.channel?.hold?.(false)
  }

  private request(session: string, body: Body): Promise<Extract<EvaluatorReply, { ok: true }>> {
    const unusable = this.unusable()
    if (unusable) return Promise.reject(unusable)
    const id = this.nextId++
    const request = { ...body, id, session } as EvaluatorRequest
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.ensureChannel().hold?.(true)
      this.pending.set(id, { request, sentAt: Date.now(), resolve, reject })
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
    const built = this.building.get(reply.id)
    if (built) {
      this.building.delete(reply.id)
      if (!reply.ok) {
        const { code, message } = reply.error
        this.lose(
          built.session,
          built.afterRestart
            ? new StudioError('evaluator', `the drawing could not be rebuilt after the evaluator restarted: ${message}`)
            : new StudioError(code, message)
        )
      }
      return
    }
    const p = this.pending.get(reply.id)
    if (!p) return // a request of a session lost meanwhile
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

  /** Replace a dead or hung process, rebuild every session in the new one, and ask it again what is unanswered. */
  private recover(reason: string): void {
    const dead = this.channel
    this.channel = null
    void dead?.terminate()
    this.building.clear()
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
    console.warn(`[sightline] ${reason}; restarting it and rebuilding ${this.sessions.size} session(s)`)
    const channel = this.ensureChannel()
    if (this.pending.size > 0) channel.hold?.(true)
    for (const session of [...this.sessions]) {
      try {
        this.build(channel, session, true)
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err)
        this.lose(
          session,
          new StudioError('evaluator', `the drawing could not be rebuilt after the evaluator restarted: ${why}`)
        )
      }
    }
    // What was unanswered goes again, in the order it was first sent, after the sessions it needs.
    for (const p of this.pending.values()) {
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
