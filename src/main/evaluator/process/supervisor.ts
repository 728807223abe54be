// Main's side of the evaluation process: sends requests and matches replies. It keeps no copy
// of the drawings: each session's owner (the attempt service) holds its history, and the
// supervisor builds a session in the process from the owner's snapshot (its reference and its
// edits: strokes as points, which the process rasterises), both to open it and, when the process dies or hangs, to rebuild it in a new
// one. Requests still unanswered then are sent again after it, so they are answered by the new
// process and the caller sees the same scores.
//
// Sending, matching and timing out are the request/reply layer's (src/shared/rpc/client.ts):
// its timeout and its port closing both lead here to recover().
import { StudioError } from '#shared/contract/errors.ts'
import type { ShapeAnalysis } from '#shared/contract/scores.ts'
import type { History } from '#shared/edit-history/history.ts'
import { RpcClient, type PendingCall } from '#shared/rpc/client.ts'
import type { ErrorField } from '../core/error-field.ts'
import type { EvaluatorAnswer, EvaluatorChannel, EvaluatorRequest, EvaluatorState } from './protocol.ts'
import type { PackedStroke } from './packed-stroke.ts'

export type { EvaluatorChannel } from './protocol.ts'

/** Starts one evaluation process and returns main's end of its port. */
export type EvaluatorLauncher = () => EvaluatorChannel

export interface SessionInit {
  width: number
  height: number
  reference: Uint8Array
  tolerancePx?: number
}

/**
 * An edit as the evaluation process applies it: a stroke (its points: the process rasterises it),
 * pixels added or erased (a pixel session log's edits), or a clear.
 */
export type EvaluatorEdit =
  { type: 'stroke'; stroke: PackedStroke } | { type: 'add' | 'erase'; pixels: Int32Array } | { type: 'clear' }

/** Everything a session is: its reference, and its edit history (the redo tail too) as evaluator edits. */
export interface SessionSnapshot {
  init: SessionInit
  history: History<EvaluatorEdit>
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

type Body = DistributiveOmit<EvaluatorRequest, 'session'>
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

const sessionOf = (call: PendingCall): string => (call.arg as EvaluatorRequest).session

export class EvaluatorSupervisor {
  /** How many times the process was restarted after dying or hanging. */
  restarts = 0

  private readonly owner: SessionOwner
  private readonly timeoutMs: number
  private readonly maxRestarts: number
  private readonly windowMs: number
  private readonly client: RpcClient
  /** The open sessions: the process has them, or is being given them. */
  private readonly sessions = new Set<string>()
  /** Requests that build a session from its snapshot (no caller waits for their replies). */
  private readonly building = new Map<number, { session: string; afterRestart: boolean }>()
  private readonly restartTimes: number[] = []
  private failure: StudioError | null = null
  private disposed = false

  constructor(launch: EvaluatorLauncher, options: SupervisorOptions) {
    this.owner = options.sessions
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

  /**
   * Open (or open again) a session: the process is given its owner's snapshot, the reference
   * and every edit so far. Answers the scores of the drawing it holds.
   */
  async open(session: string): Promise<EvaluatorState> {
    const unusable = this.unusable()
    if (unusable) throw unusable
    this.sessions.add(session)
    try {
      this.build(session, false)
    } catch (err) {
      this.sessions.delete(session)
      throw err
    }
    // Answered after the snapshot is in; an init the process refuses (no ink) fails it instead.
    return (await this.request(session, { type: 'scores' })).state
  }

  /** A stroke, rasterised in the evaluation process: a pen's pixels added, an eraser's erased. */
  stroke(session: string, stroke: PackedStroke): Promise<EvaluatorState> {
    return this.edit(session, { type: 'stroke', stroke })
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

  /** Placement, size and turn apart from shape (the full evaluation's extra); null while nothing is drawn. */
  async analysis(session: string): Promise<ShapeAnalysis | null> {
    this.requireSession(session)
    return (await this.request(session, { type: 'analysis' })).analysis ?? null
  }

  /** The drawing's errors against the reference moved onto it by the alignment; null while nothing is drawn. */
  async alignedField(session: string): Promise<ErrorField | null> {
    this.requireSession(session)
    return (await this.request(session, { type: 'alignedField' })).field ?? null
  }

  async close(session: string): Promise<void> {
    if (!this.sessions.delete(session)) return
    // A process restarted meanwhile never had the session: nothing left to close.
    await this.request(session, { type: 'close' }).catch(() => undefined)
  }

  async dispose(): Promise<void> {
    this.disposed = true
    this.building.clear()
    await this.client.close(new StudioError('evaluator', 'the evaluator was shut down'))
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
  private build(session: string, afterRestart: boolean): void {
    const snapshot = this.owner.snapshot(session)
    if (!snapshot)
      throw new StudioError('evaluator', `no evaluation session "${session}" (its owner has no such drawing)`)
    const { init, history } = snapshot
    // Replies to an earlier build of the same session no longer say anything about it.
    this.dropBuilds(session)
    const send = (body: Body): void => {
      const call = this.client.request(body.type, { ...body, session }, (c, error) => this.built(c, error))
      call.reply.catch(() => undefined) // its failure is told to built(), at once
      // (A request that could not even be sent has failed already; so will what follows it.)
      if (this.client.isWaiting(call.id)) this.building.set(call.id, { session, afterRestart })
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

  /** A build request settled: if the process refused it, the session is lost, before any later reply is read. */
  private built(call: PendingCall, error: Error | null): void {
    const b = this.building.get(call.id)
    if (!b) return
    this.building.delete(call.id)
    if (!error) return
    this.lose(
      b.session,
      b.afterRestart
        ? new StudioError(
            'evaluator',
            `the drawing could not be rebuilt after the evaluator restarted: ${error.message}`
          )
        : error instanceof StudioError
          ? error
          : new StudioError('evaluator', error.message)
    )
  }

  /** Stop waiting for the build requests of a session (or of all sessions). */
  private dropBuilds(session: string | null): void {
    for (const [id, b] of this.building) {
      if (session !== null && b.session !== session) continue
      this.building.delete(id)
      this.client.fail(id, new StudioError('evaluator', 'superseded by a later build of the session'))
    }
  }

  /** A session the process could not be given: it is closed, and what was asked of it fails with why. */
  private lose(session: string, error: StudioError): void {
    if (!this.sessions.delete(session)) return
    this.dropBuilds(session)
    for (const call of this.client.waitingCalls()) if (sessionOf(call) === session) this.client.fail(call.id, error)
  }

  private request(session: string, body: Body): Promise<EvaluatorAnswer> {
    const unusable = this.unusable()
    if (unusable) return Promise.reject(unusable)
    return this.client.request(body.type, { ...body, session }).reply as Promise<EvaluatorAnswer>
  }

  /** Replace a dead or hung process, rebuild every session in the new one, and ask it again what is unanswered. */
  private recover(reason: string): void {
    void this.client.disconnect() // the dead or hung process is ended; the next message starts a new one
    this.dropBuilds(null)
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
    console.warn(`[sightline] ${reason}; restarting it and rebuilding ${this.sessions.size} session(s)`)
    const unanswered = this.client.waitingCalls()
    for (const session of [...this.sessions]) {
      try {
        this.build(session, true)
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err)
        this.lose(
          session,
          new StudioError('evaluator', `the drawing could not be rebuilt after the evaluator restarted: ${why}`)
        )
      }
    }
    // What was unanswered goes again, in the order it was first sent, after the sessions it needs.
    for (const call of unanswered) this.client.resend(call.id)
  }
}
