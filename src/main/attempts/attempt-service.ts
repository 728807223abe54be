// The live drawing session on the main side: for each attempt, the authoritative history
// (ops + cursor, the same model the renderer paints from), each stroke rasterised into the frame
// by the shared outline function, the evaluation process kept in step (one edit per op), and
// every op written to the history journal at once, so a crash loses nothing.
//
// The drawing never waits for the disk: if the history cannot be written (read-only or full
// disk), the edit still happens, the result says what is wrong, and the unsaved entries are
// kept in memory and written, in order, as soon as the history accepts them again.
import { randomUUID } from 'node:crypto'
import type { FrameSize } from '#shared/contract/api.ts'
import type { AttemptState, DrawingOp, EditResult } from '#shared/contract/attempts.ts'
import type { JournalOp } from '#shared/contract/history.ts'
import type { InkSettings, ReferenceSource } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import type { EvaluatorState } from '../evaluator/process/protocol.ts'
import type { EvaluatorSupervisor } from '../evaluator/process/supervisor.ts'
import type { History } from '../history/history.ts'
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
  evaluator: EvaluatorSupervisor
  /** The reference's ink mask at a frame's size (R), and the settings that made it. */
  loadInk(referenceId: string, frame: FrameSize): Promise<{ mask: Uint8Array; settings: InkSettings }>
  /** What the history records about a reference. */
  describe(referenceId: string): Promise<ReferenceFacts>
  /** Where attempts are kept; without one (tests of the live session alone), nothing is saved. */
  history?: History
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
  ops: DrawingOp[]
  cursor: number
  activeMs: number
  /** The history has this attempt's row. */
  recorded: boolean
  /** Journal entries not yet in the history, oldest first. */
  unsaved: { op: JournalOp; evaluation: Evaluation; activeMs: number; at: Date }[]
  /** Why the last write to the history failed; null when everything is saved. */
  saveProblem: string | null
  /** Edits run one after another per attempt, in the order they were asked for. */
  queue: Promise<unknown>
}

export type ResumedAttempt = AttemptState

export class AttemptService {
  private readonly deps: AttemptServiceDeps
  private readonly attempts = new Map<string, Attempt>()

  constructor(deps: AttemptServiceDeps) {
    this.deps = deps
  }

  async start(referenceId: string): Promise<AttemptState> {
    const frame = await this.deps.frameOf(referenceId)
    const { mask, settings } = await this.deps.loadInk(referenceId, frame)
    const facts = await this.deps.describe(referenceId)
    const id = randomUUID()
    const state = await this.deps.evaluator.open(id, { width: frame.width, height: frame.height, reference: mask })
    const a: Attempt = {
      id,
      reference: { ...facts, inkSettings: settings },
      frame,
      startedAt: new Date().toISOString(),
      ops: [],
      cursor: 0,
      activeMs: 0,
      recorded: false,
      unsaved: [],
      saveProblem: null,
      queue: Promise.resolve()
    }
    // The history records it at its first edit: an attempt nobody drew in leaves no trace.
    this.attempts.set(id, a)
    await this.closeOldest()
    return this.state(a, state.evaluation)
  }

  /**
   * The attempt that was open when the app or host last died, with every committed op replayed
   * into a new evaluator session: the same drawing, frame, scores and reference. Null if there is none.
   */
  async resume(): Promise<ResumedAttempt | null> {
    const store = this.deps.history?.store()
    const found = store?.findUnfinishedAttempt()
    if (!store || !found) return null
    const open = this.attempts.get(found.attemptId)
    if (open) return this.state(open, (await this.deps.evaluator.scores(open.id)).evaluation)
    try {
      return await this.reopen(found)
    } catch (err) {
      // The reference is gone or unreadable (its file was removed): keep the attempt in the history as it was.
      if (!(err instanceof StudioError)) throw err
      if (found.evaluation)
        store.finishAttempt(found.attemptId, { evaluation: found.evaluation, activeMs: found.activeMs })
      else store.deleteAttempt(found.attemptId)
      return null
    }
  }

  /**
   * Draw on in an attempt from the history, finished or not: its journal replayed into a new
   * evaluator session in its own frame. One still open (its finish may be under way) is waited for.
   */
  async continue(attemptId: string): Promise<AttemptState> {
    const open = this.attempts.get(attemptId)
    if (open) {
      await open.queue
      const still = this.attempts.get(attemptId)
      if (still) return this.state(still, (await this.deps.evaluator.scores(still.id)).evaluation)
    }
    const store = this.deps.history?.store()
    if (!store) throw new StudioError('not-found', `no attempt "${attemptId}": the history is not open`)
    const found = store.attemptToResume(attemptId)
    return this.reopen(found, () => store.reopenAttempt(attemptId))
  }

  /**
   * Open a kept attempt again: its reference's ink at the attempt's frame (a reference that is
   * gone is 'not-found', nothing changed), then `before` (reopening it in the history), then
   * its ops replayed.
   */
  private async reopen(found: UnfinishedAttempt, before?: () => void): Promise<AttemptState> {
    const { frame } = found
    let mask: Uint8Array
    try {
      ;({ mask } = await this.deps.loadInk(found.reference.id, frame))
    } catch (err) {
      if (err instanceof StudioError && err.code === 'not-found')
        throw new StudioError(
          'not-found',
          `the reference "${found.reference.name}" of this attempt is no longer there, so it cannot be drawn on`
        )
      throw err
    }
    before?.()
    let state = await this.deps.evaluator.open(found.attemptId, {
      width: frame.width,
      height: frame.height,
      reference: mask
    })
    for (const entry of found.entries) state = await this.apply(found.attemptId, frame, entry.op)
    if (found.evaluation && JSON.stringify(found.evaluation) !== JSON.stringify(state.evaluation)) {
      console.warn(
        `[sightline] attempt ${found.attemptId} reopened with different scores (the reference's ink settings changed since)`
      )
    }
    const a: Attempt = {
      id: found.attemptId,
      reference: found.reference,
      frame,
      startedAt: found.startedAt,
      ops: found.ops,
      cursor: found.cursor,
      activeMs: found.activeMs,
      recorded: true,
      unsaved: [],
      saveProblem: null,
      queue: Promise.resolve()
    }
    this.attempts.set(a.id, a)
    await this.closeOldest()
    return this.state(a, state.evaluation)
  }

  commitStroke(attemptId: string, stroke: Stroke, activeMs?: number): Promise<EditResult> {
    return this.edit(attemptId, { kind: 'stroke', stroke }, activeMs)
  }

  clear(attemptId: string, activeMs?: number): Promise<EditResult> {
    return this.edit(attemptId, { kind: 'clear' }, activeMs)
  }

  undo(attemptId: string, activeMs?: number): Promise<EditResult> {
    return this.edit(attemptId, { kind: 'undo' }, activeMs)
  }

  redo(attemptId: string, activeMs?: number): Promise<EditResult> {
    return this.edit(attemptId, { kind: 'redo' }, activeMs)
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
      const field = await this.deps.evaluator.errorField(a.id)
      const evaluation = field ? field.evaluation : (await this.deps.evaluator.scores(a.id)).evaluation
      const history = this.deps.history
      if (history) {
        if (a.ops.length === 0) {
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
      await this.deps.evaluator.close(a.id)
      return { attemptId: a.id, evaluation }
    })
  }

  private async edit(attemptId: string, op: JournalOp, activeMs: number | undefined): Promise<EditResult> {
    return this.serial(attemptId, async (a) => {
      if (activeMs !== undefined) a.activeMs = Math.max(a.activeMs, activeMs)
      if (op.kind === 'undo' && a.cursor === 0) return this.result(a, await this.deps.evaluator.scores(a.id))
      if (op.kind === 'redo' && a.cursor === a.ops.length) return this.result(a, await this.deps.evaluator.scores(a.id))
      const state = await this.apply(a.id, a.frame, op)
      if (op.kind === 'undo') a.cursor--
      else if (op.kind === 'redo') a.cursor++
      else {
        a.ops.length = a.cursor
        a.ops.push(op)
        a.cursor++
      }
      a.unsaved.push({ op, evaluation: state.evaluation, activeMs: Math.round(a.activeMs), at: new Date() })
      this.save(a)
      return this.result(a, state)
    })
  }

  /** One op through the evaluator (the journal's kinds map one to one onto its edits). */
  private apply(session: string, frame: FrameSize, op: JournalOp): Promise<EvaluatorState> {
    const ev = this.deps.evaluator
    switch (op.kind) {
      case 'stroke': {
        const pixels = rasterizeStroke(op.stroke, frame)
        return op.stroke.tool === 'pen' ? ev.add(session, pixels) : ev.erase(session, pixels)
      }
      case 'clear':
        return ev.clear(session)
      case 'undo':
        return ev.undo(session)
      case 'redo':
        return ev.redo(session)
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
      ops: a.ops.slice(),
      cursor: a.cursor,
      evaluation,
      startedAt: a.startedAt,
      activeMs: a.activeMs,
      saveProblem: a.saveProblem
    }
  }

  private result(a: Attempt, state: EvaluatorState): EditResult {
    return { evaluation: state.evaluation, opCount: a.ops.length, cursor: a.cursor, saveProblem: a.saveProblem }
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
        await this.deps.evaluator.close(oldest)
      })
    }
  }
}
