// The live drawing session on the main side: for each attempt, the authoritative history
// (ops + cursor: src/shared/edit-history, the model the renderer paints from), the evaluation
// process kept in step (one evaluator edit per edit: a stroke goes as its points, and the process
// rasterises it by the shared outline function), and every edit written to the history journal
// at once, so a crash loses nothing. The evaluator keeps no copy of its own: when its process is restarted,
// the supervisor rebuilds each session from the attempt's history (evaluatorSnapshot).
//
// The drawing never waits for the disk: if the history cannot be written (read-only or full
// disk), the edit still happens, the result says what is wrong, and the unsaved entries are
// kept in memory and written, in order, as soon as the history accepts them again.
import { randomUUID } from 'node:crypto'
import type { FrameSize } from '#shared/contract/api.ts'
import type { AttemptState, EditResult } from '#shared/contract/attempts.ts'
import {
  EMPTY_HISTORY,
  applyEdit,
  scoredHistory,
  touchesScored,
  type DrawingOp,
  type Edit,
  type History
} from '#shared/edit-history/index.ts'
import type { InkSettings, ReferenceSource } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { EmptyEvaluation, Evaluation, FullEvaluation } from '#shared/contract/scores.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import { packStroke } from '../evaluator/process/packed-stroke.ts'
import type { EvaluatorState } from '../evaluator/process/protocol.ts'
import type {
  EvaluatorEdit,
  EvaluatorSupervisor,
  SessionInit,
  SessionSnapshot
} from '../evaluator/process/supervisor.ts'
import type { History as HistoryDatabase } from '../history/history.ts'
import type { AttemptFiles, StoredReference, UnfinishedAttempt } from '../history/store.ts'

export interface ReferenceFacts {
  id: string
  name: string
  source: ReferenceSource
  width: number
  height: number
}

export interface AttemptServiceDeps {
  /** The frame a new attempt at a reference gets (its aspect, the longest side from the settings). */
  frameOf(referenceId: string): Promise<FrameSize>
  /** The evaluation process; its sessions' owner must be this service (evaluatorSnapshot). */
  evaluator: EvaluatorSupervisor
  /** The reference's ink mask at a frame's size (R), and the settings that made it. */
  loadInk(referenceId: string, frame: FrameSize): Promise<{ mask: Uint8Array; settings: InkSettings }>
  /** What the history records about a reference. */
  describe(referenceId: string): Promise<ReferenceFacts>
  /** Where attempts are kept; without one (tests of the live session alone), nothing is saved. */
  history?: HistoryDatabase
  /** The images kept with a finished attempt: drawing, heatmap, thumbnail. */
  renderFiles?(field: ErrorField | null, frame: FrameSize): Promise<AttemptFiles>
  /** At most this many attempts stay open (each holds an evaluator session). */
  maxOpen?: number
}

interface Attempt {
  id: string
  reference: StoredReference
  /** Its own frame, kept from its start: every stroke is rasterised into it. */
  frame: FrameSize
  startedAt: string
  /** What the evaluator scores against: the reference's ink at the frame size. */
  init: SessionInit
  /** The drawing's history (ops + cursor): every edit the evaluator has answered (an edit joins it once scored). */
  drawing: History
  activeMs: number
  /** The history has this attempt's row. */
  recorded: boolean
  /** Journal entries not yet in the history, oldest first. */
  unsaved: { op: Edit; evaluation: Evaluation; activeMs: number; at: Date }[]
  /** Why the last write to the history failed; null when everything is saved. */
  saveProblem: string | null
  /** Edits run one after another per attempt, in the order they were asked for. */
  queue: Promise<unknown>
}

export type ResumedAttempt = AttemptState

export class AttemptService {
  private readonly deps: AttemptServiceDeps
  private readonly evaluator: EvaluatorSupervisor
  private readonly attempts = new Map<string, Attempt>()

  constructor(deps: AttemptServiceDeps) {
    this.deps = deps
    this.evaluator = deps.evaluator
  }

  async start(referenceId: string): Promise<AttemptState> {
    const frame = await this.deps.frameOf(referenceId)
    const { mask, settings } = await this.deps.loadInk(referenceId, frame)
    const facts = await this.deps.describe(referenceId)
    const a = this.track({
      id: randomUUID(),
      reference: { ...facts, inkSettings: settings },
      frame,
      startedAt: new Date().toISOString(),
      init: { width: frame.width, height: frame.height, reference: mask },
      drawing: EMPTY_HISTORY,
      activeMs: 0,
      recorded: false
    })
    // The history records it at its first edit: an attempt nobody drew in leaves no trace.
    const evaluation = await this.openSession(a)
    await this.closeOldest()
    return this.state(a, evaluation)
  }

  /**
   * The attempt that was open when the app or host last died, its history rebuilt from the
   * journal and scored in a new evaluator session in its own frame: the same drawing, scores and
   * reference. Null if there is none.
   */
  async resume(): Promise<ResumedAttempt | null> {
    const store = this.deps.history?.store()
    const found = store?.findUnfinishedAttempt()
    if (!store || !found) return null
    const open = this.attempts.get(found.attemptId)
    if (open) return this.serial(open.id, async (a) => this.state(a, (await this.evaluator.scores(a.id)).evaluation))
    let mask: Uint8Array
    try {
      mask = await this.inkFor(found)
    } catch (err) {
      // The reference is gone (its file was removed): keep the attempt in the history as it was.
      if (!(err instanceof StudioError)) throw err
      if (found.evaluation)
        store.finishAttempt(found.attemptId, { evaluation: found.evaluation, activeMs: found.activeMs })
      else store.deleteAttempt(found.attemptId)
      return null
    }
    return this.reopen(found, mask)
  }

  /**
   * Draw on in an attempt from the history, finished or not: its history rebuilt from the
   * journal and scored in a new evaluator session in its own frame. One still open (its finish
   * may be under way, asked for before this) is waited for.
   */
  async continue(attemptId: string): Promise<AttemptState> {
    const open = this.attempts.get(attemptId)
    if (open) {
      await open.queue
      const still = this.attempts.get(attemptId)
      if (still)
        return this.serial(still.id, async (a) => this.state(a, (await this.evaluator.scores(a.id)).evaluation))
    }
    const store = this.deps.history?.store()
    if (!store) throw new StudioError('not-found', `no attempt "${attemptId}": the history is not open`)
    const found = store.attemptToResume(attemptId)
    const mask = await this.inkFor(found)
    store.reopenAttempt(attemptId)
    return this.reopen(found, mask)
  }

  /** The reference's ink at a kept attempt's frame; a reference that is gone is 'not-found'. */
  private async inkFor(found: UnfinishedAttempt): Promise<Uint8Array> {
    try {
      return (await this.deps.loadInk(found.reference.id, found.frame)).mask
    } catch (err) {
      if (err instanceof StudioError && err.code === 'not-found')
        throw new StudioError(
          'not-found',
          `the reference "${found.reference.name}" of this attempt is no longer there, so it cannot be drawn on`
        )
      throw err
    }
  }

  /** Open a kept attempt again in a new evaluator session. */
  private async reopen(found: UnfinishedAttempt, mask: Uint8Array): Promise<AttemptState> {
    const { frame } = found
    const a = this.track({
      id: found.attemptId,
      reference: found.reference,
      frame,
      startedAt: found.startedAt,
      init: { width: frame.width, height: frame.height, reference: mask },
      drawing: found.history,
      activeMs: found.activeMs,
      recorded: true
    })
    const evaluation = await this.openSession(a)
    if (found.evaluation && JSON.stringify(found.evaluation) !== JSON.stringify(evaluation)) {
      console.warn(
        `[sightline] attempt ${found.attemptId} reopened with different scores (the reference's ink settings changed since)`
      )
    }
    await this.closeOldest()
    return this.state(a, evaluation)
  }

  /**
   * An open attempt's session as the evaluator holds it: the reference and every scored op of the
   * drawing's history as pixels, with the cursor among them (construction lines are never scored). The supervisor opens a session from it, and rebuilds
   * the session from it in a new process after a crash; edits join the history only once the
   * evaluator has answered them, as the supervisor needs. Null for an attempt not open here.
   * The supervisor is given it as the owner of its sessions: `{ snapshot: (id) => service.evaluatorSnapshot(id) }`.
   */
  evaluatorSnapshot(attemptId: string): SessionSnapshot | null {
    const a = this.attempts.get(attemptId)
    if (!a) return null
    const scored = scoredHistory(a.drawing)
    return {
      init: a.init,
      history: { ops: scored.ops.map(evaluatorEdit), cursor: scored.cursor }
    }
  }

  /** A stroke on the drawing, or (layer 'construction', pen only) a construction line, which is kept but not scored. */
  commitStroke(attemptId: string, stroke: Stroke, activeMs?: number, layer?: 'construction'): Promise<EditResult> {
    if (layer === 'construction') {
      if (stroke.tool !== 'pen')
        return Promise.reject(new StudioError('invalid-input', 'a construction line is drawn with the pen'))
      return this.edit(attemptId, { kind: 'stroke', stroke: { ...stroke, tool: 'pen' }, layer }, activeMs)
    }
    return this.edit(attemptId, { kind: 'stroke', stroke }, activeMs)
  }

  /** Empty the drawing, or (layer 'construction') the construction lines only. */
  clear(attemptId: string, activeMs?: number, layer?: 'construction'): Promise<EditResult> {
    return this.edit(attemptId, layer === 'construction' ? { kind: 'clear', layer } : { kind: 'clear' }, activeMs)
  }

  undo(attemptId: string, activeMs?: number): Promise<EditResult> {
    return this.edit(attemptId, { kind: 'undo' }, activeMs)
  }

  redo(attemptId: string, activeMs?: number): Promise<EditResult> {
    return this.edit(attemptId, { kind: 'redo' }, activeMs)
  }

  /** Every per-pixel error of the current drawing (null while it is empty), for heatmaps. */
  errorField(attemptId: string): Promise<ErrorField | null> {
    return this.serial(attemptId, (a) => this.evaluator.errorField(a.id))
  }

  /** The full evaluation: the scores and, once something is drawn, placement, size and turn apart from shape. */
  evaluate(attemptId: string): Promise<FullEvaluation | EmptyEvaluation> {
    return this.serial(attemptId, async (a) => {
      const { evaluation } = await this.evaluator.scores(a.id)
      if (evaluation.status === 'empty') return evaluation
      const analysis = await this.evaluator.analysis(a.id)
      if (!analysis) throw new StudioError('internal', 'the evaluator scored a drawing it then found empty')
      return { ...evaluation, ...analysis }
    })
  }

  /** The drawing's errors against the reference moved onto it by the alignment (null while it is empty). */
  alignedField(attemptId: string): Promise<ErrorField | null> {
    return this.serial(attemptId, (a) => this.evaluator.alignedField(a.id))
  }

  /** Everything an export needs, taken together so the field matches the history. */
  snapshot(attemptId: string): Promise<{ state: AttemptState; ink: InkSettings; field: ErrorField | null }> {
    return this.serial(attemptId, async (a) => {
      const field = await this.evaluator.errorField(a.id)
      const evaluation = field ? field.evaluation : (await this.evaluator.scores(a.id)).evaluation
      return { state: this.state(a, evaluation), ink: a.reference.inkSettings, field }
    })
  }

  /**
   * End an attempt: its images and final scores go to the history and its evaluator session is
   * closed. An attempt without a single op leaves no trace (it was never recorded). If the history cannot take it, the
   * attempt stays open and the error says why (nothing is lost).
   */
  finish(attemptId: string, activeMs?: number): Promise<{ attemptId: string; evaluation: Evaluation }> {
    return this.serial(attemptId, async (a) => {
      if (activeMs !== undefined) a.activeMs = Math.max(a.activeMs, activeMs)
      const field = await this.evaluator.errorField(a.id)
      const evaluation = field ? field.evaluation : (await this.evaluator.scores(a.id)).evaluation
      const history = this.deps.history
      if (history) {
        if (a.drawing.ops.length === 0) {
          // Edits that were all undone and then replaced by nothing: keep no empty attempt.
          if (a.recorded) history.store().deleteAttempt(a.id)
        } else {
          this.save(a)
          if (a.saveProblem) throw new StudioError('storage', `the attempt could not be saved: ${a.saveProblem}`)
          const store = history.store()
          if (this.deps.renderFiles) await store.saveAttemptFiles(a.id, await this.deps.renderFiles(field, a.frame))
          store.finishAttempt(a.id, { evaluation, activeMs: Math.round(a.activeMs) })
        }
      }
      this.attempts.delete(a.id)
      await this.evaluator.close(a.id)
      return { attemptId: a.id, evaluation }
    })
  }

  private async edit(attemptId: string, edit: Edit, activeMs: number | undefined): Promise<EditResult> {
    return this.serial(attemptId, async (a) => {
      if (activeMs !== undefined) a.activeMs = Math.max(a.activeMs, activeMs)
      const next = applyEdit(a.drawing, edit)
      // An undo or redo with nothing to act on changes nothing: nothing to score or record.
      if (next === a.drawing) return this.result(a, await this.evaluator.scores(a.id))
      // Construction lines are kept and journaled but never scored: the score stays as it was.
      const state = touchesScored(a.drawing, edit) ? await this.score(a, edit) : await this.evaluator.scores(a.id)
      a.drawing = next
      a.unsaved.push({ op: edit, evaluation: state.evaluation, activeMs: Math.round(a.activeMs), at: new Date() })
      this.save(a)
      return this.result(a, state)
    })
  }

  /**
   * One edit of the scored drawing through the evaluator: a stroke as its points (the evaluation
   * process rasterises it in the session's own frame, so no stroke costs this thread more than
   * packing its points), a clear, undo or redo as itself.
   */
  private score(a: Attempt, edit: Edit): Promise<EvaluatorState> {
    const ev = this.evaluator
    const session = a.id
    if (edit.kind === 'undo') return ev.undo(session)
    if (edit.kind === 'redo') return ev.redo(session)
    if (edit.kind === 'clear') return ev.clear(session)
    return ev.stroke(session, packStroke(edit.stroke))
  }

  private track(fields: Omit<Attempt, 'unsaved' | 'saveProblem' | 'queue'>): Attempt {
    const a: Attempt = { ...fields, unsaved: [], saveProblem: null, queue: Promise.resolve() }
    this.attempts.set(a.id, a)
    return a
  }

  /** Open the attempt's evaluator session from its history; an attempt the evaluator refuses is not kept. */
  private async openSession(a: Attempt): Promise<Evaluation> {
    try {
      return await this.serial(a.id, async () => (await this.evaluator.open(a.id)).evaluation)
    } catch (err) {
      if (this.attempts.get(a.id) === a) this.attempts.delete(a.id)
      throw err
    }
  }

  /** Write what the history does not have yet, oldest first; remember why if it cannot. */
  private save(a: Attempt): void {
    const history = this.deps.history
    if (!history) return
    try {
      const store = history.store()
      if (!a.recorded) {
        store.upsertReference(a.reference)
        store.createAttempt({
          attemptId: a.id,
          referenceId: a.reference.id,
          startedAt: new Date(a.startedAt),
          frame: a.frame
        })
        a.recorded = true
      }
      while (a.unsaved.length > 0) {
        store.appendJournal(a.id, a.unsaved[0])
        a.unsaved.shift()
      }
      a.saveProblem = null
    } catch (err) {
      a.saveProblem = err instanceof Error ? err.message : String(err)
    }
  }

  private state(a: Attempt, evaluation: Evaluation): AttemptState {
    return {
      attemptId: a.id,
      referenceId: a.reference.id,
      frame: a.frame,
      ops: [...a.drawing.ops],
      cursor: a.drawing.cursor,
      evaluation,
      startedAt: a.startedAt,
      activeMs: a.activeMs,
      saveProblem: a.saveProblem
    }
  }

  private result(a: Attempt, state: EvaluatorState): EditResult {
    return {
      evaluation: state.evaluation,
      opCount: a.drawing.ops.length,
      cursor: a.drawing.cursor,
      saveProblem: a.saveProblem
    }
  }

  private require(attemptId: string): Attempt {
    const a = this.attempts.get(attemptId)
    if (!a) throw new StudioError('not-found', `no open attempt "${attemptId}"; start a new attempt`)
    return a
  }

  private async serial<T>(attemptId: string, work: (a: Attempt) => Promise<T>): Promise<T> {
    const a = this.require(attemptId)
    const next = a.queue.then(() => {
      // Finished or closed while this waited for its turn: answered as if it had come after.
      if (this.attempts.get(a.id) !== a) this.require(a.id)
      return work(a)
    })
    a.queue = next.catch(() => undefined)
    return next
  }

  /**
   * Attempts beyond maxOpen (a studio left without finishing its attempt, e.g. a closed browser
   * tab) are finished oldest first; one the history cannot take is dropped from memory only and
   * stays in the history as it was last saved.
   */
  private async closeOldest(): Promise<void> {
    const max = this.deps.maxOpen ?? 4
    while (this.attempts.size > max) {
      const oldest = this.attempts.keys().next().value as string
      await this.finish(oldest).catch(async () => {
        this.attempts.delete(oldest)
        await this.evaluator.close(oldest)
      })
    }
  }
}

/** A scored op as the evaluator takes it: a stroke as its points (rasterised in the evaluation process), or a clear. */
function evaluatorEdit(op: DrawingOp): EvaluatorEdit {
  if (op.layer !== undefined) throw new Error('a construction line never reaches the evaluator')
  if (op.kind === 'clear') return { type: 'clear' }
  return { type: 'stroke', stroke: packStroke(op.stroke) }
}
