import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef, watch } from 'vue'
import type { FrameSize } from '#shared/contract/app.ts'
import type {
  AttemptState,
  AttemptsApi,
  ExportResult,
  HeatmapPicture,
  HeatmapView,
  OverlayLayer,
  OverlayPicture
} from '#shared/contract/attempts.ts'
import type { EmptyEvaluation, Evaluation, FullEvaluation } from '#shared/contract/scores.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import {
  EMPTY_HISTORY,
  applyEdit,
  canClear,
  canRedo,
  canUndo,
  opsToPaint,
  type DrawingOp,
  type Edit,
  type History,
  type Layer
} from '#shared/edit-history/index.ts'
import { AttemptSync } from '../drawing/attempt-sync.ts'
import {
  elapsedMs,
  holdClock,
  inputAt,
  pauseClock,
  setIdle,
  startClock,
  stoppedClock,
  type Clock
} from '../drawing/clock.ts'
import { usePresenceStore } from './presence.ts'
import { useSettingsStore } from './settings.ts'

/** The frame of attempts from before frames followed their reference, and before the first answer. */
export const SQUARE_FRAME: FrameSize = Object.freeze({ width: 500, height: 500 })

/** An attempt New or a reference switch just ended, while its Undo is on offer. */
export interface SetAsideAttempt {
  attemptId: string
  referenceId: string
  frame: FrameSize
  history: History
  strokes: number
  activeMs: number
}

const strokesIn = (ops: readonly DrawingOp[]): number => ops.filter((op) => op.kind === 'stroke').length

/**
 * One attempt at drawing the open reference: the history the canvas paints (changed at once, never
 * waiting for the main side), the latest score the main side sent back, its frame and the drawing time.
 */
export const useDrawingStore = defineStore('drawing', () => {
  const settings = useSettingsStore()
  const history = shallowRef<History>(EMPTY_HISTORY)
  /** The latest score and the history it is of (it may trail `history` while edits are in flight). */
  const evaluation = shallowRef<Evaluation | null>(null)
  const scoredHistory = shallowRef<History | null>(null)
  const pending = ref(false)
  const error = ref<string | null>(null)
  /** Why the attempt is not saved in the history yet (it is kept in memory meanwhile), or null. */
  const saveProblem = ref<string | null>(null)
  const idleMs = (): number => settings.settings.timer.idlePauseSeconds * 1000
  const clock = shallowRef<Clock>(stoppedClock(0, idleMs()))
  /** Bumped by every edit: the report hides again while the score is hidden, latency is measured from it. */
  const editCount = ref(0)
  /** The attempt's own frame: every stroke's coordinates are in it. */
  const frame = shallowRef<FrameSize>(SQUARE_FRAME)
  /** The attempt's id once the main side has opened it. */
  const attemptId = ref<string | null>(null)
  const referenceId = ref<string | null>(null)
  const setAside = shallowRef<SetAsideAttempt | null>(null)
  let sync: AttemptSync | null = null
  let api: AttemptsApi | null = null

  const paintOps = computed(() => opsToPaint(history.value))
  /** The construction lines to show: faint, never scored (src/shared/edit-history/ops.ts). */
  const constructionOps = computed(() => opsToPaint(history.value, 'construction'))
  /** The strokes of the drawing on the canvas now (a clear leaves none, undoing it brings them back). */
  const strokes = computed(() => strokesIn(paintOps.value))
  const undoable = computed(() => canUndo(history.value))
  const redoable = computed(() => canRedo(history.value))
  const clearable = computed(() => canClear(history.value))
  /** The live score: top5Error with one decimal, or '' while there is no drawing (or no score yet). */
  const liveScore = computed(() => (evaluation.value?.status === 'scored' ? evaluation.value.top5Error.toFixed(1) : ''))

  watch(idleMs, (ms) => (clock.value = setIdle(clock.value, ms, performance.now())))

  function connect(attemptsApi: AttemptsApi): void {
    api = attemptsApi
    sync = markRaw(
      new AttemptSync(
        attemptsApi,
        {
          started: (state) => {
            attemptId.value = state.attemptId
            frame.value = state.frame
          },
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
        () => elapsedMs(clock.value, performance.now()),
        usePresenceStore().windowId
      )
    )
  }

  /** Everything about the attempt under way goes; a new one (started, continued) takes its place. */
  function reset(id: string, next: History, counted: number, nextFrame: FrameSize): number {
    const now = performance.now()
    const previousActiveMs = elapsedMs(clock.value, now)
    referenceId.value = id
    history.value = next
    evaluation.value = null
    scoredHistory.value = null
    error.value = null
    saveProblem.value = null
    attemptId.value = null
    frame.value = nextFrame
    // A held clock stays held (the page hidden, a dialog open) across attempts.
    const held = clock.value
    clock.value = { ...stoppedClock(counted, idleMs()), hidden: held.hidden, dialog: held.dialog }
    editCount.value++
    return previousActiveMs
  }

  /** What New or a switch would lose: the attempt under way, if it has any edit. */
  function current(): SetAsideAttempt | null {
    if (!attemptId.value || !referenceId.value || history.value.ops.length === 0) return null
    return {
      attemptId: attemptId.value,
      referenceId: referenceId.value,
      frame: frame.value,
      history: history.value,
      strokes: strokes.value,
      activeMs: elapsedMs(clock.value, performance.now())
    }
  }

  /**
   * A new, empty attempt at a reference (also when switching reference), in `expectedFrame` (the
   * reference's frame as the main side will make it; its answer has the last word). The one
   * before is finished (kept in the history) once its last edits are in, and set aside for Undo.
   */
  async function startAttempt(id: string, expectedFrame: FrameSize = frame.value): Promise<void> {
    // An empty attempt ended by New again leaves the Undo of the last one with strokes on offer.
    const before = current() ?? setAside.value
    const previousActiveMs = reset(id, EMPTY_HISTORY, 0, expectedFrame)
    setAside.value = before
    if (!sync) return
    pending.value = true
    await sync.start(id, previousActiveMs)
  }

  /** Carry on with the attempt the main side kept open (the app stopped before it was finished). */
  function resumeAttempt(state: AttemptState): void {
    const previousActiveMs = reset(state.referenceId, historyOf(state), state.activeMs, state.frame)
    sync?.resume({ ...state, ops: [...history.value.ops] }, previousActiveMs)
    pending.value = sync?.pending ?? false
  }

  /**
   * Carry on with a kept attempt (from the history, or the one New set aside): its drawing shows
   * at once when known, and again as the main side reopened it. Resolves with its state.
   */
  async function continueAttempt(kept: {
    attemptId: string
    referenceId: string
    frame: FrameSize
    history?: History
    activeMs?: number
  }): Promise<AttemptState> {
    const { sync: s } = requireSync()
    const before = current()
    const previousActiveMs = reset(kept.referenceId, kept.history ?? EMPTY_HISTORY, kept.activeMs ?? 0, kept.frame)
    setAside.value = before && before.attemptId !== kept.attemptId ? before : null
    pending.value = true
    const state = await s.continue(kept.attemptId, previousActiveMs)
    if (referenceId.value === state.referenceId && attemptId.value === state.attemptId) {
      // The main side's copy is the truth; nothing was drawn on top yet if the counts agree.
      const shown = history.value
      if (shown.ops.length !== state.ops.length || shown.cursor !== state.cursor) history.value = historyOf(state)
      clock.value = { ...clock.value, counted: Math.max(clock.value.counted, state.activeMs) }
    }
    pending.value = sync?.pending ?? false
    return state
  }

  /** Undo of New or a switch: the attempt set aside comes back, as it was. */
  function bringBack(): Promise<AttemptState> | null {
    const aside = setAside.value
    if (!aside) return null
    setAside.value = null
    return continueAttempt(aside)
  }

  function forgetSetAside(): void {
    setAside.value = null
  }

  function newAttempt(): Promise<void> {
    return referenceId.value ? startAttempt(referenceId.value) : Promise.resolve()
  }

  /** Apply an edit at once and send it on; one that changes nothing (an undo with nothing to undo) is not sent. */
  function apply(edit: Edit): void {
    const next = applyEdit(history.value, edit)
    if (next === history.value) return
    history.value = next
    editCount.value++
    // Drawing on is the sign the new attempt is wanted: the last one's Undo is gone.
    setAside.value = null
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

  /** A stroke begins: the first starts the clock; every one is input. */
  function strokeBegan(now: number): void {
    clock.value = startClock(clock.value, now)
  }
  /** The pen is up: the idle pause counts from here. */
  function strokeEnded(now: number): void {
    clock.value = inputAt(clock.value, now, false)
  }
  /** A key or click in the studio: the person is at work. */
  function input(now: number): void {
    if (clock.value.started) clock.value = inputAt(clock.value, now)
  }
  function visibilityChanged(visible: boolean, now: number): void {
    clock.value = holdClock(clock.value, 'hidden', !visible, now)
  }
  /** A dialog or the history is open: no drawing time passes behind it. */
  function dialogChanged(open: boolean, now: number): void {
    clock.value = holdClock(clock.value, 'dialog', open, now)
  }
  /** The report opened: looking at it is not drawing; the next stroke or key counts again. */
  function reportOpened(now: number): void {
    clock.value = pauseClock(clock.value, now)
  }
  const elapsed = (now: number): number => elapsedMs(clock.value, now)

  function requireSync(): { sync: AttemptSync; api: AttemptsApi } {
    if (!sync || !api) throw new Error('the drawing store was used before connect()')
    return { sync, api }
  }
  /** The full evaluation (scores with placement, size and turn apart from shape) after every edit so far. */
  function fullEvaluation(): Promise<FullEvaluation | EmptyEvaluation> {
    const { sync: s, api: a } = requireSync()
    return s.query((attemptId) => a.evaluateAttempt({ attemptId }))
  }
  /** A comparison picture for the canvas, after every edit so far; null while there is no drawing. */
  function overlay(
    layer: OverlayLayer,
    view: HeatmapView,
    aligned: boolean,
    scale: 1 | 2
  ): Promise<OverlayPicture | null> {
    const { sync: s, api: a } = requireSync()
    return s.query((attemptId) => a.attemptOverlay({ attemptId, layer, view, aligned, scale }))
  }
  /** The heatmap of the drawing as scored after every edit so far; null while there is no drawing. */
  function heatmap(view: HeatmapView, scale: 1 | 2): Promise<HeatmapPicture | null> {
    const { sync: s, api: a } = requireSync()
    return s.query((id) => a.attemptHeatmap({ attemptId: id, view, scale }))
  }
  /**
   * Export the heatmap, the drawing, the session and the sheet (a folder the user picks, or
   * downloads). At the frame's own size: the drawing PNG is then exactly the scored pixels.
   */
  function exportAttempt(view: HeatmapView): Promise<ExportResult> {
    const { sync: s, api: a } = requireSync()
    return s.query((id) => a.exportAttempt({ attemptId: id, view, scale: 1 }))
  }
  /** The current attempt's id once every edit so far is in (null when there is none). */
  function settledAttemptId(): Promise<string | null> {
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
    frame,
    attemptId,
    referenceId,
    setAside,
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
    continueAttempt,
    bringBack,
    forgetSetAside,
    newAttempt,
    commitStroke,
    undo: undoEdit,
    redo: redoEdit,
    clearDrawing,
    clearConstruction,
    strokeBegan,
    strokeEnded,
    input,
    visibilityChanged,
    dialogChanged,
    reportOpened,
    elapsed,
    dismissError,
    fullEvaluation,
    overlay,
    settledAttemptId,
    finishCurrent,
    heatmap,
    exportAttempt
  }
})

/** The history of an attempt as the store keeps it (ops as rawOp). */
function historyOf(state: AttemptState): History {
  return { ops: state.ops.map(rawOp), cursor: state.cursor }
}

/** An op as the store keeps it: its stroke not made reactive (points are many and never change), its layer kept. */
function rawOp(op: DrawingOp): DrawingOp {
  if (op.kind !== 'stroke') return op
  return op.layer === 'construction' ? { ...op, stroke: markRaw(op.stroke) } : { ...op, stroke: markRaw(op.stroke) }
}
