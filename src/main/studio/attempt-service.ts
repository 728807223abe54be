// The live drawing session on the main side: for each attempt, the authoritative history
// (ops + cursor, the same model the renderer paints from), each stroke rasterised into the frame
// by the shared outline function, and the evaluation process kept in step, one edit per op.
import { randomUUID } from 'node:crypto'
import type { FrameSize } from '../../shared/api.ts'
import type { AttemptState, DrawingOp, EditResult } from '../../shared/contract/attempts.ts'
import { StudioError } from '../../shared/errors.ts'
import type { InkSettings } from '../../shared/contract/references.ts'
import type { Stroke } from '../../shared/stroke.ts'
import { rasterizeStroke } from '../../shared/stroke/rasterize.ts'
import type { ErrorField } from '../evaluator/error-field.ts'
import type { EvaluatorState } from '../evaluator/protocol.ts'
import type { EvaluatorSupervisor } from '../evaluator/supervisor.ts'

export interface AttemptServiceDeps {
  frame: FrameSize
  evaluator: EvaluatorSupervisor
  /** The reference's ink mask at the frame size (R), and the settings that made it. */
  loadInk(referenceId: string): Promise<{ mask: Uint8Array; settings: InkSettings }>
  /** At most this many attempts stay open (each holds an evaluator session). */
  maxOpen?: number
}

interface Attempt {
  id: string
  referenceId: string
  /** The ink settings the reference was scored with when the attempt began. */
  ink: InkSettings
  startedAt: string
  ops: DrawingOp[]
  cursor: number
  /** Edits run one after another per attempt, in the order they were asked for. */
  queue: Promise<unknown>
}

export class AttemptService {
  private readonly deps: AttemptServiceDeps
  private readonly attempts = new Map<string, Attempt>()

  constructor(deps: AttemptServiceDeps) {
    this.deps = deps
  }

  async start(referenceId: string): Promise<AttemptState> {
    const { mask, settings } = await this.deps.loadInk(referenceId)
    const id = randomUUID()
    const { width, height } = this.deps.frame
    const state = await this.deps.evaluator.open(id, { width, height, reference: mask })
    const attempt: Attempt = { id, referenceId, ink: settings, startedAt: new Date().toISOString(), ops: [], cursor: 0, queue: Promise.resolve() }
    this.attempts.set(id, attempt)
    await this.closeOldest()
    return { attemptId: id, referenceId, frame: this.deps.frame, ops: [], cursor: 0, evaluation: state.evaluation, startedAt: attempt.startedAt }
  }

  commitStroke(attemptId: string, stroke: Stroke): Promise<EditResult> {
    return this.serial(attemptId, async (a) => {
      const pixels = rasterizeStroke(stroke, this.deps.frame)
      const state = stroke.tool === 'pen' ? await this.deps.evaluator.add(a.id, pixels) : await this.deps.evaluator.erase(a.id, pixels)
      return this.push(a, { kind: 'stroke', stroke }, state)
    })
  }

  clear(attemptId: string): Promise<EditResult> {
    return this.serial(attemptId, async (a) => this.push(a, { kind: 'clear' }, await this.deps.evaluator.clear(a.id)))
  }

  undo(attemptId: string): Promise<EditResult> {
    return this.serial(attemptId, async (a) => {
      if (a.cursor === 0) return this.result(a, await this.deps.evaluator.scores(a.id))
      const state = await this.deps.evaluator.undo(a.id)
      a.cursor--
      return this.result(a, state)
    })
  }

  redo(attemptId: string): Promise<EditResult> {
    return this.serial(attemptId, async (a) => {
      if (a.cursor === a.ops.length) return this.result(a, await this.deps.evaluator.scores(a.id))
      const state = await this.deps.evaluator.redo(a.id)
      a.cursor++
      return this.result(a, state)
    })
  }

  /** Every per-pixel error of the current drawing (null while it is empty), for heatmaps. */
  errorField(attemptId: string): Promise<ErrorField | null> {
    return this.serial(attemptId, (a) => this.deps.evaluator.errorField(a.id))
  }

  /** Everything an export needs, taken together so the field matches the history. */
  snapshot(attemptId: string): Promise<{ state: AttemptState; ink: InkSettings; field: ErrorField | null }> {
    return this.serial(attemptId, async (a) => {
      const field = await this.deps.evaluator.errorField(a.id)
      const evaluation = field ? field.evaluation : (await this.deps.evaluator.scores(a.id)).evaluation
      const state: AttemptState = { attemptId: a.id, referenceId: a.referenceId, frame: this.deps.frame, ops: a.ops.slice(), cursor: a.cursor, evaluation, startedAt: a.startedAt }
      return { state, ink: a.ink, field }
    })
  }

  async close(attemptId: string): Promise<void> {
    if (!this.attempts.delete(attemptId)) return
    await this.deps.evaluator.close(attemptId)
  }

  private push(a: Attempt, op: DrawingOp, state: EvaluatorState): EditResult {
    a.ops.length = a.cursor
    a.ops.push(op)
    a.cursor++
    return this.result(a, state)
  }

  private result(a: Attempt, state: EvaluatorState): EditResult {
    return { evaluation: state.evaluation, opCount: a.ops.length, cursor: a.cursor }
  }

  private require(attemptId: string): Attempt {
    const a = this.attempts.get(attemptId)
    if (!a) throw new StudioError('not-found', `no open attempt "${attemptId}"; start a new attempt`)
    return a
  }

  private async serial<T>(attemptId: string, work: (a: Attempt) => Promise<T>): Promise<T> {
    const a = this.require(attemptId)
    const next = a.queue.then(() => work(a))
    a.queue = next.catch(() => undefined)
    return next
  }

  private async closeOldest(): Promise<void> {
    const max = this.deps.maxOpen ?? 4
    while (this.attempts.size > max) {
      const oldest = this.attempts.keys().next().value as string
      await this.close(oldest)
    }
  }
}
