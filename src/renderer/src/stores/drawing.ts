import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { AttemptState, AttemptsApi, ExportResult, HeatmapPicture, HeatmapView } from '#shared/contract/attempts.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import {
  EMPTY_HISTORY,
  applyEdit,
  canClear,
  canRedo,
  canUndo,
  opsToPaint,
  strokeCount,
  type DrawingOp,
  type Edit,
  type History,
  type Layer
} from '#shared/edit-history/index.ts'
import { AttemptSync } from '../drawing/attempt-sync.ts'
import { STOPPED, elapsedMs, pauseClock, resumeClock, startClock, type Clock } from '../drawing/clock.ts'

/**
 * One attempt at drawing the open reference: the history the canvas paints (changed at once, never
 * waiting for the main side), the latest score the main side sent back, and the drawing time.
 */
export const useDrawingStore = defineStore('drawing', () => {
  const history = shallowRef<History>(EMPTY_HISTORY)
  /** The latest score and the history it is of (it may trail `history` while edits are in flight). */
  const evaluation = shallowRef<Evaluation | null>(null)
  const scoredHistory = shallowRef<History | null>(null)
  const pending = ref(false)
  const error = ref<string | null>(null)
  /** Why the attempt is not saved in the history yet (it is kept in memory meanwhile), or null. */
  const saveProblem = ref<string | null>(null)
  const clock = shallowRef<Clock>(STOPPED)
  /** Bumped by every edit: the report hides again in blind mode, latency is measured from it. */
  const editCount = ref(0)
  let sync: AttemptSync | null = null
  let api: AttemptsApi | null = null
  let referenceId: string | null = null

  const paintOps = computed(() => opsToPaint(history.value))
  /** The construction lines to show: faint, never scored (src/shared/edit-history/ops.ts). */
  const constructionOps = computed(() => opsToPaint(history.value, 'construction'))
  const strokes = computed(() => strokeCount(history.value))
  const undoable = computed(() => canUndo(history.value))
  const redoable = computed(() => canRedo(history.value))
  const clearable = computed(() => canClear(history.value))
  /** The live score: top5Error with one decimal, or '' while there is no drawing (or no score yet). */
  const liveScore = computed(() => (evaluation.value?.status === 'scored' ? evaluation.value.top5Error.toFixed(1) : ''))

  function connect(attemptsApi: AttemptsApi): void {
    api = attemptsApi
    sync = markRaw(
      new AttemptSync(
        attemptsApi,
        {
          scored: ({ evaluation: e, history: h }) => {
            evaluation.value = e
            scoredHistory.value = h
            pending.value = sync?.pending ?? false
          },
          failed: (message, resetTo) => {
            error.value = message
            pending.value = false
            if (resetTo) history.value = resetTo
          },
          saved: (problem) => {
            saveProblem.value = problem
          },
          finishFailed: (message) => {
            error.value = message
          }
        },
        () => elapsedMs(clock.value, performance.now())
      )
    )
  }

  /**
   * A new, empty attempt at a reference (also when switching reference). The one before is
   * finished (kept in the history) once its last edits are in.
   */
  async function startAttempt(id: string): Promise<void> {
    const previousActiveMs = elapsedMs(clock.value, performance.now())
    referenceId = id
    history.value = EMPTY_HISTORY
    evaluation.value = null
    scoredHistory.value = null
    error.value = null
    saveProblem.value = null
    clock.value = STOPPED
    editCount.value++
    if (!sync) return
    pending.value = true
    await sync.start(id, previousActiveMs)
  }

  /** Carry on with the attempt the main side kept open (the app stopped before it was finished). */
  function resumeAttempt(state: AttemptState): void {
    const previousActiveMs = elapsedMs(clock.value, performance.now())
    referenceId = state.referenceId
    history.value = {
      ops: state.ops.map(rawOp),
      cursor: state.cursor
    }
    evaluation.value = null
    scoredHistory.value = null
    error.value = null
    // The timer goes on from the time already drawn, at the next stroke.
    clock.value = { elapsed: state.activeMs, runningSince: null, started: false }
    editCount.value++
    sync?.resume({ ...state, ops: history.value.ops as DrawingOp[] }, previousActiveMs)
    pending.value = sync?.pending ?? false
  }

  function newAttempt(): Promise<void> {
    return referenceId ? startAttempt(referenceId) : Promise.resolve()
  }

  /** Apply an edit at once and send it on; one that changes nothing (an undo with nothing to undo) is not sent. */
  function apply(edit: Edit): void {
    const next = applyEdit(history.value, edit)
    if (next === history.value) return
    history.value = next
    editCount.value++
    sync?.push(edit, next)
    pending.value = sync?.pending ?? false
  }

  /** A finished stroke on the drawing, or a construction line (the pen on the construction layer). */
  function commitStroke(stroke: Stroke, layer: Layer = 'drawing'): void {
    if (layer === 'construction' && stroke.tool === 'pen')
      apply({ kind: 'stroke', layer, stroke: markRaw({ ...stroke, tool: 'pen' }) })
    else apply({ kind: 'stroke', stroke: markRaw(stroke) })
  }
  const undoEdit = (): void => apply({ kind: 'undo' })
  const redoEdit = (): void => apply({ kind: 'redo' })
  function clearDrawing(): void {
    if (canClear(history.value)) apply({ kind: 'clear' })
  }
  function clearConstruction(): void {
    if (canClear(history.value, 'construction')) apply({ kind: 'clear', layer: 'construction' })
  }

  /** The first stroke starts the clock. */
  function strokeBegan(now: number, visible: boolean): void {
    clock.value = startClock(clock.value, now, visible)
  }
  function visibilityChanged(visible: boolean, now: number): void {
    clock.value = visible ? resumeClock(clock.value, now) : pauseClock(clock.value, now)
  }
  const elapsed = (now: number): number => elapsedMs(clock.value, now)

  function requireSync(): { sync: AttemptSync; api: AttemptsApi } {
    if (!sync || !api) throw new Error('the drawing store was used before connect()')
    return { sync, api }
  }
  /** The heatmap of the drawing as scored after every edit so far; null while there is no drawing. */
  function heatmap(view: HeatmapView, scale: 1 | 2): Promise<HeatmapPicture | null> {
    const { sync: s, api: a } = requireSync()
    return s.query((attemptId) => a.attemptHeatmap({ attemptId, view, scale }))
  }
  /**
   * Export the heatmap, the drawing and the session (a folder the user picks, or downloads). At
   * the frame's own size: the drawing PNG is then exactly the scored pixels, one for one.
   */
  function exportAttempt(view: HeatmapView): Promise<ExportResult> {
    const { sync: s, api: a } = requireSync()
    return s.query((attemptId) => a.exportAttempt({ attemptId, view, scale: 1 }))
  }
  /** The current attempt's id once every edit so far is in (null when there is none). */
  function attemptId(): Promise<string | null> {
    if (!sync) return Promise.resolve(null)
    return sync.query(async (id) => id).catch(() => null)
  }
  /** Finish the current attempt and start no other (the end of a session); resolves once it is kept. */
  async function finishCurrent(): Promise<void> {
    const activeMs = elapsedMs(clock.value, performance.now())
    clock.value = pauseClock(clock.value, performance.now())
    await sync?.end(activeMs)
  }
  function dismissError(): void {
    error.value = null
  }

  return {
    history,
    evaluation,
    scoredHistory,
    pending,
    error,
    saveProblem,
    clock,
    editCount,
    paintOps,
    constructionOps,
    strokes,
    undoable,
    redoable,
    clearable,
    liveScore,
    connect,
    startAttempt,
    resumeAttempt,
    newAttempt,
    commitStroke,
    undo: undoEdit,
    redo: redoEdit,
    clearDrawing,
    clearConstruction,
    strokeBegan,
    visibilityChanged,
    elapsed,
    dismissError,
    attemptId,
    finishCurrent,
    heatmap,
    exportAttempt
  }
})

/** An op as the store keeps it: its stroke not made reactive (points are many and never change), its layer kept. */
function rawOp(op: DrawingOp): DrawingOp {
  if (op.kind !== 'stroke') return op
  return op.layer === 'construction' ? { ...op, stroke: markRaw(op.stroke) } : { ...op, stroke: markRaw(op.stroke) }
}
