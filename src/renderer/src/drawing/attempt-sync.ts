// Sends the renderer's edits to the main side's attempt, one at a time and in order, and reports
// the score of the latest one. The canvas never waits for it: the renderer applies each edit to
// its own history first and hands over the history it expects afterwards; every answer is
// checked against that (same cursor, same op count), so both copies provably stay the same.
//
// Starting a new attempt does not drop the old one's edits still on their way: they are sent,
// then the old attempt is finished (kept in the history), while the new one starts.
import type { AttemptState, AttemptsApi, EditResult } from '#shared/contract/attempts.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { EMPTY_HISTORY, type Edit, type History } from '#shared/edit-history/index.ts'

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
  /** Whether the attempt is saved: null, or why the history could not take it yet (kept in memory). */
  saved?(problem: string | null): void
  /** The main side opened the attempt (started, resumed or continued): its id, frame and time. */
  started?(state: AttemptState): void
  /** A finished attempt could not be kept in the history (it stays open on the main side). */
  finishFailed?(message: string): void
}

/** The attempt an item belongs to: its start (a promise of its id) and its generation. */
interface Owner {
  generation: number
  attempt: Promise<string>
}

/**
 * An edit, a question about the attempt (heatmap, export) asked after the edits before it, the end
 * of an attempt, or a call that must go out after everything before it (reopening a kept attempt).
 */
type Queued = Owner &
  (
    | { kind: 'call'; run: () => void }
    | { kind: 'edit'; edit: Edit; after: History; activeMs: number }
    | {
        kind: 'query'
        run: (attemptId: string) => Promise<unknown>
        resolve: (value: unknown) => void
        reject: (err: Error) => void
      }
    | { kind: 'finish'; activeMs: number; done?: () => void }
  )

export type AttemptCalls = Pick<
  AttemptsApi,
  'startAttempt' | 'continueAttempt' | 'commitStroke' | 'undo' | 'redo' | 'clearDrawing' | 'finishAttempt'
>

export class AttemptSync {
  private generation = 0
  /** The current attempt's start; null before any, or once scoring stopped. */
  private attempt: Promise<string> | null = null
  /** Its id once known, so an edit is sent without waiting a turn (before the page re-renders). */
  private attemptId: string | null = null
  private queue: Queued[] = []
  private running = false
  private confirmed: History = EMPTY_HISTORY

  private readonly api: AttemptCalls
  private readonly events: SyncEvents
  /** The attempt's active drawing time now, sent with every edit (the history keeps it). */
  private readonly activeMs: () => number

  /** This window's id, sent with every edit (the main side refuses edits from a window the studio was taken from). */
  private readonly windowId: string | undefined

  constructor(api: AttemptCalls, events: SyncEvents, activeMs: () => number = () => 0, windowId?: string) {
    this.api = api
    this.events = events
    this.activeMs = activeMs
    this.windowId = windowId
  }

  /** Edits sent and not yet answered (the score shown may be behind the canvas). */
  get pending(): boolean {
    return (
      this.queue.some((q) => q.kind === 'edit' && q.generation === this.generation) ||
      (this.attempt !== null && this.attemptId === null)
    )
  }

  /**
   * Begin a new attempt at a reference. The previous one (if any) is finished once its last
   * edits are in, with `previousActiveMs` as its drawing time; its pending questions are dropped.
   */
  start(referenceId: string, previousActiveMs = 0): Promise<void> {
    let started: Promise<AttemptState>
    try {
      started = this.api.startAttempt({ referenceId })
    } catch (err) {
      started = Promise.reject(err)
    }
    const generation = this.begin(
      started.then((s) => s.attemptId),
      previousActiveMs
    )
    return started.then(
      (state) => this.ready(generation, state),
      (err: unknown) => {
        if (generation === this.generation) this.stop(`could not start an attempt at this reference: ${messageOf(err)}`)
      }
    )
  }

  /**
   * Finish the current attempt once its last edits are in, and begin none (a session's last
   * drawing): resolves when the history has it. Edits made after this are not sent.
   */
  end(activeMs = 0): Promise<void> {
    const previous = this.attempt
    if (!previous) return Promise.resolve()
    const generation = ++this.generation
    this.queue = this.queue.filter((q) => {
      if (q.kind !== 'query') return true
      q.reject(new Error('the attempt ended'))
      return false
    })
    this.attempt = null
    this.attemptId = null
    this.confirmed = EMPTY_HISTORY
    return new Promise<void>((done) => {
      this.queue.push({ kind: 'finish', activeMs, generation: generation - 1, attempt: previous, done })
      void this.pump()
    })
  }

  /**
   * Carry on with a kept attempt (History's Continue, Undo after New). The main side is asked only
   * after everything sent before has gone out, the current attempt's last edits and its finish
   * included, so a finish of that very attempt is always handled before it reopens. Resolves with
   * the reopened attempt; edits made meanwhile wait for it.
   */
  continue(attemptId: string, previousActiveMs = 0): Promise<AttemptState> {
    let open!: (state: AttemptState) => void
    let fail!: (err: unknown) => void
    const opened = new Promise<AttemptState>((resolve, reject) => {
      open = resolve
      fail = reject
    })
    const attempt = opened.then((s) => s.attemptId)
    const generation = this.begin(attempt, previousActiveMs)
    const run = (): void => {
      let call: Promise<AttemptState>
      try {
        call = this.api.continueAttempt({ attemptId })
      } catch (err) {
        call = Promise.reject(err)
      }
      call.then(open, fail)
    }
    this.queue.push({ kind: 'call', run, generation, attempt })
    void this.pump()
    return opened.then(
      (state) => {
        if (generation === this.generation) {
          this.confirmed = { ops: state.ops, cursor: state.cursor }
          this.ready(generation, state)
        }
        return state
      },
      (err: unknown) => {
        if (generation === this.generation) this.stop(`could not carry on with that attempt: ${messageOf(err)}`)
        throw err instanceof Error ? err : new Error(messageOf(err))
      }
    )
  }

  /** Carry on with an attempt the main side kept (after a crash): its history is the confirmed one. */
  resume(state: AttemptState, previousActiveMs = 0): void {
    const generation = this.begin(Promise.resolve(state.attemptId), previousActiveMs)
    this.confirmed = { ops: state.ops, cursor: state.cursor }
    this.ready(generation, state)
  }

  private begin(attempt: Promise<string>, previousActiveMs: number): number {
    const previous = this.attempt
    const generation = ++this.generation
    // Questions about the old attempt are moot; its edits still go out, then it is finished.
    this.queue = this.queue.filter((q) => {
      if (q.kind !== 'query') return true
      q.reject(new Error('a new attempt began'))
      return false
    })
    if (previous)
      this.queue.push({ kind: 'finish', activeMs: previousActiveMs, generation: generation - 1, attempt: previous })
    this.confirmed = EMPTY_HISTORY
    this.attemptId = null
    this.attempt = attempt
    // Reported once, by start(); the queue skips items of an attempt that never started.
    attempt.catch(() => {})
    return generation
  }

  private ready(generation: number, state: AttemptState): void {
    if (generation !== this.generation) return
    this.attemptId = state.attemptId
    this.events.started?.(state)
    this.events.saved?.(state.saveProblem)
    if (!this.queue.some((q) => q.kind === 'edit' && q.generation === generation)) {
      this.events.scored({ evaluation: state.evaluation, history: this.confirmed })
    }
    void this.pump()
  }

  /** Send one edit; `after` is the renderer's history once it is applied. */
  push(edit: Edit, after: History): void {
    if (!this.attempt) return // no attempt: the drawing stays on screen, unscored (the failure was reported)
    this.queue.push({
      kind: 'edit',
      edit,
      after,
      activeMs: this.activeMs(),
      generation: this.generation,
      attempt: this.attempt
    })
    void this.pump()
  }

  /** Ask about the attempt once every edit sent before has been answered (so it sees them all). */
  query<T>(run: (attemptId: string) => Promise<T>): Promise<T> {
    const attempt = this.attempt
    if (!attempt) return Promise.reject(new Error('there is no attempt to ask about: start a new attempt'))
    return new Promise<T>((resolve, reject) => {
      this.queue.push({
        kind: 'query',
        run,
        resolve: resolve as (value: unknown) => void,
        reject,
        generation: this.generation,
        attempt
      })
      void this.pump()
    })
  }

  private call(attemptId: string, edit: Edit, activeMs: number): Promise<EditResult> {
    const args = {
      attemptId,
      activeMs: Math.round(activeMs),
      ...(this.windowId === undefined ? {} : { windowId: this.windowId })
    }
    switch (edit.kind) {
      case 'stroke':
        return this.api.commitStroke(
          edit.layer ? { ...args, stroke: edit.stroke, layer: edit.layer } : { ...args, stroke: edit.stroke }
        )
      case 'undo':
        return this.api.undo(args)
      case 'redo':
        return this.api.redo(args)
      case 'clear':
        return this.api.clearDrawing(edit.layer ? { ...args, layer: edit.layer } : args)
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      while (this.queue.length > 0) {
        const item = this.queue[0]
        if (item.kind === 'call') {
          // Sent, not waited for: what comes next waits for the attempt it opens.
          this.queue.shift()
          item.run()
          continue
        }
        const current = item.generation === this.generation
        let attemptId: string
        try {
          attemptId = current && this.attemptId !== null ? this.attemptId : await item.attempt
        } catch {
          // That attempt never started (reported by start()): nothing to send it.
          this.queue.shift()
          if (item.kind === 'query') item.reject(new Error('the attempt did not start'))
          continue
        }
        if (this.queue[0] !== item) continue // dropped meanwhile (a failure, a new attempt)

        if (item.kind === 'finish') {
          this.queue.shift()
          // Not waited for: rendering its images must not hold up the new attempt's scores.
          this.api.finishAttempt({ attemptId, activeMs: Math.round(item.activeMs) }).then(
            () => item.done?.(),
            (err: unknown) => {
              this.events.finishFailed?.(`the last attempt could not be kept in the history: ${messageOf(err)}`)
              item.done?.()
            }
          )
          continue
        }

        if (item.kind === 'query') {
          try {
            item.resolve(await item.run(attemptId))
          } catch (err) {
            item.reject(err instanceof Error ? err : new Error(String(err)))
          }
          if (this.queue[0] === item) this.queue.shift()
          continue
        }

        let result: EditResult
        try {
          result = await this.call(attemptId, item.edit, item.activeMs)
        } catch (err) {
          if (this.queue[0] === item) this.queue.shift()
          if (item.generation === this.generation) {
            this.dropCurrent('an earlier edit failed')
            this.events.failed(`could not score the last ${describe(item.edit)}: ${messageOf(err)}`, this.confirmed)
          }
          continue
        }
        if (this.queue[0] === item) this.queue.shift()
        // An old attempt's last edits are kept by the main side; their scores no longer show.
        if (item.generation !== this.generation) continue
        if (result.cursor !== item.after.cursor || result.opCount !== item.after.ops.length) {
          this.stop(
            `the evaluator's history (${result.cursor} of ${result.opCount} edits) differs from the canvas ` +
              `(${item.after.cursor} of ${item.after.ops.length}); start a new attempt to continue scoring`
          )
          continue
        }
        this.confirmed = item.after
        this.events.saved?.(result.saveProblem)
        if (!this.queue.some((q) => q.kind === 'edit' && q.generation === this.generation)) {
          this.events.scored({ evaluation: result.evaluation, history: item.after })
        }
      }
    } finally {
      this.running = false
    }
  }

  /** Drop the current attempt's queued items (the old attempt's edits and finish still go out). */
  private dropCurrent(reason: string): void {
    this.queue = this.queue.filter((q) => {
      if (q.generation !== this.generation) return true
      if (q.kind === 'query') q.reject(new Error(reason))
      return false
    })
  }

  /** Scoring cannot continue in this attempt: keep the ink, send nothing more. */
  private stop(message: string): void {
    this.dropCurrent(message)
    this.attempt = null
    this.attemptId = null
    this.events.failed(message, null)
  }
}

function describe(edit: Edit): string {
  if (edit.kind === 'stroke')
    return edit.layer ? 'construction line' : edit.stroke.tool === 'eraser' ? 'eraser stroke' : 'stroke'
  return edit.kind === 'clear' && edit.layer ? 'clear of the construction lines' : edit.kind
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
