// Sends the renderer's edits to the main side's attempt, one at a time and in order, and reports
// the score of the latest one. The canvas never waits for it: the renderer applies each edit to
// its own history first and hands over the history it expects afterwards; every answer is
// checked against that (same cursor, same op count), so both copies provably stay the same.
import type { AttemptsApi, EditResult } from '../../../shared/contract/attempts.ts'
import type { Evaluation } from '../../../shared/scores.ts'
import type { Stroke } from '../../../shared/stroke.ts'
import { EMPTY_HISTORY, type History } from './history.ts'

export type Edit = { kind: 'stroke'; stroke: Stroke } | { kind: 'undo' } | { kind: 'redo' } | { kind: 'clear' }

export interface ScoredAt {
  evaluation: Evaluation
  /** The history the evaluation is of. */
  history: History
}

export interface SyncEvents {
  /** The score of the drawing once every edit sent so far is scored (not after each while more are queued). */
  scored(result: ScoredAt): void
  /**
   * An edit failed: the queued edits are dropped and `resetTo` is the last history the main side
   * confirmed (edits are all-or-nothing there; the renderer shows it again). Or scoring stopped
   * (no attempt could be started, or the main side's history disagreed): `resetTo` is null, the
   * ink stays, unscored, until a new attempt starts.
   */
  failed(message: string, resetTo: History | null): void
}

/** An edit, or a question about the attempt (heatmap, export) asked after the edits before it. */
type Queued =
  | { kind: 'edit'; edit: Edit; after: History }
  | { kind: 'query'; run: (attemptId: string) => Promise<unknown>; resolve: (value: unknown) => void; reject: (err: Error) => void }

export type AttemptCalls = Pick<AttemptsApi, 'startAttempt' | 'commitStroke' | 'undo' | 'redo' | 'clearDrawing'>

export class AttemptSync {
  private generation = 0
  private attempt: Promise<string> | null = null
  private attemptReady = false
  /** The started attempt's id, once known (so an edit is sent without waiting a turn). */
  private attemptId: string | null = null
  private queue: Queued[] = []
  private running = false
  private confirmed: History = EMPTY_HISTORY

  private readonly api: AttemptCalls
  private readonly events: SyncEvents

  constructor(api: AttemptCalls, events: SyncEvents) {
    this.api = api
    this.events = events
  }

  /** Edits sent and not yet answered (the score shown may be behind the canvas). */
  get pending(): boolean {
    return this.queue.some((q) => q.kind === 'edit') || (this.attempt !== null && !this.attemptReady)
  }

  /** Begin a new attempt at a reference; anything still queued for the old one is dropped. */
  start(referenceId: string): Promise<void> {
    const generation = ++this.generation
    this.dropQueue('a new attempt began')
    this.confirmed = EMPTY_HISTORY
    this.attemptReady = false
    this.attemptId = null
    let started: ReturnType<AttemptCalls['startAttempt']>
    try {
      started = this.api.startAttempt({ referenceId })
    } catch (err) {
      started = Promise.reject(err)
    }
    this.attempt = started.then((state) => state.attemptId)
    // Avoid an unhandled rejection: the failure is reported once, here.
    this.attempt.catch(() => {})
    return started.then(
      (state) => {
        if (generation !== this.generation) return
        this.attemptReady = true
        this.attemptId = state.attemptId
        if (!this.queue.some((q) => q.kind === 'edit')) this.events.scored({ evaluation: state.evaluation, history: EMPTY_HISTORY })
        void this.pump(generation)
      },
      (err: unknown) => {
        if (generation === this.generation) this.stop(`could not start an attempt at this reference: ${messageOf(err)}`)
      }
    )
  }

  /** Send one edit; `after` is the renderer's history once it is applied. */
  push(edit: Edit, after: History): void {
    if (!this.attempt) return // no attempt: the drawing stays on screen, unscored (the failure was reported)
    this.queue.push({ kind: 'edit', edit, after })
    if (this.attemptReady) void this.pump(this.generation)
  }

  /** Ask about the attempt once every edit sent before has been answered (so it sees them all). */
  query<T>(run: (attemptId: string) => Promise<T>): Promise<T> {
    if (!this.attempt) return Promise.reject(new Error('there is no attempt to ask about: start a new attempt'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind: 'query', run, resolve: resolve as (value: unknown) => void, reject })
      if (this.attemptReady) void this.pump(this.generation)
    })
  }

  private dropQueue(reason: string): void {
    for (const q of this.queue) if (q.kind === 'query') q.reject(new Error(reason))
    this.queue = []
  }

  private call(attemptId: string, edit: Edit): Promise<EditResult> {
    switch (edit.kind) {
      case 'stroke':
        return this.api.commitStroke({ attemptId, stroke: edit.stroke })
      case 'undo':
        return this.api.undo({ attemptId })
      case 'redo':
        return this.api.redo({ attemptId })
      case 'clear':
        return this.api.clearDrawing({ attemptId })
    }
  }

  private async pump(generation: number): Promise<void> {
    if (this.running || !this.attempt) return
    this.running = true
    try {
      const attemptId = this.attemptId ?? (await this.attempt)
      while (generation === this.generation && this.queue.length > 0) {
        const item = this.queue[0]
        if (item.kind === 'query') {
          try {
            item.resolve(await item.run(attemptId))
          } catch (err) {
            item.reject(err instanceof Error ? err : new Error(String(err)))
          }
          if (generation !== this.generation) return
          this.queue.shift()
          continue
        }
        let result: EditResult
        try {
          result = await this.call(attemptId, item.edit)
        } catch (err) {
          if (generation === this.generation) {
            this.dropQueue('an earlier edit failed')
            this.events.failed(`could not score the last ${describe(item.edit)}: ${messageOf(err)}`, this.confirmed)
          }
          return
        }
        if (generation !== this.generation) return
        this.queue.shift()
        if (result.cursor !== item.after.cursor || result.opCount !== item.after.ops.length) {
          this.stop(
            `the evaluator's history (${result.cursor} of ${result.opCount} edits) differs from the canvas ` +
              `(${item.after.cursor} of ${item.after.ops.length}); start a new attempt to continue scoring`
          )
          return
        }
        this.confirmed = item.after
        if (!this.queue.some((q) => q.kind === 'edit')) this.events.scored({ evaluation: result.evaluation, history: item.after })
      }
    } catch {
      // The attempt did not start; start() reported it.
    } finally {
      this.running = false
      // Work queued while this pump was busy: edits pushed meanwhile, or a new attempt's edits
      // (their pump call found this one running, with an older attempt).
      if (this.queue.length > 0 && this.attemptReady) void this.pump(this.generation)
    }
  }

  /** Scoring cannot continue in this attempt: keep the ink, send nothing more. */
  private stop(message: string): void {
    this.dropQueue(message)
    this.attempt = null
    this.attemptId = null
    this.events.failed(message, null)
  }
}

function describe(edit: Edit): string {
  return edit.kind === 'stroke' ? (edit.stroke.tool === 'eraser' ? 'eraser stroke' : 'stroke') : edit.kind
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
