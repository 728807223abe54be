// The drawing session contract: an attempt is one drawing of one reference. The renderer keeps
// its history (ops + cursor, src/shared/edit-history) to paint; the main side keeps the
// authoritative copy of the same model, rasterises each stroke into the frame and scores it.
import type { FrameSize } from './app.ts'
import type { NamedFile } from './files.ts'
import type { EmptyEvaluation, Evaluation, FullEvaluation } from './scores.ts'
import type { Stroke } from '../stroke/types.ts'
import type { DrawingOp } from '../edit-history/ops.ts'

export interface AttemptState {
  attemptId: string
  referenceId: string
  /** The attempt's own evaluation frame: its reference's aspect at the longest side chosen when it began. */
  frame: FrameSize
  /** Every op ever committed in this attempt's history; the drawing is ops[0 .. cursor). */
  ops: DrawingOp[]
  cursor: number
  evaluation: Evaluation
  /** ISO time the attempt began. */
  startedAt: string
  /** Active drawing time so far (the studio's timer continues from here after a resume). */
  activeMs: number
  /** Why the history could not be written (the drawing goes on in memory); null when all is saved. */
  saveProblem: string | null
}

/** The answer to every edit: the new score and where the history cursor now is. */
export interface EditResult {
  evaluation: Evaluation
  /** ops.length after the edit (redo entries included). */
  opCount: number
  cursor: number
  /** Why this edit could not be saved yet (it is kept in memory and saved when possible); null when saved. */
  saveProblem: string | null
}

/** Which errors a heatmap shows: the drawing's ink ("where I drew wrong"), the reference's ("what I missed"), or both. */
export type HeatmapView = 'combined' | 'drawing' | 'reference'

export interface HeatmapPicture {
  view: HeatmapView
  scale: 1 | 2
  png: Uint8Array
  width: number
  height: number
  /** Where the frame sits in the picture (the legend and scores are drawn below it). */
  frame: { left: number; top: number; width: number; height: number }
  /** The top of the colour scale, in % of the frame side. */
  maxPercent: number
}

/**
 * What the studio can lay over its canvas in the report's comparison view: the heatmap (one of
 * its views), hit / extra / missed, or the reference's ink alone (for the onion skin, flicker
 * and swipe, which the studio colours and places itself).
 */
export type OverlayLayer = 'heatmap' | 'match' | 'reference'

/** A frame-sized picture on a transparent background, `scale` picture pixels per frame pixel. */
export interface OverlayPicture {
  layer: OverlayLayer
  view: HeatmapView
  /** Compared with the reference moved onto the drawing by the alignment (else as drawn). */
  aligned: boolean
  scale: 1 | 2
  png: Uint8Array
  width: number
  height: number
  /** The drawing pixels hit / extra are split at (the precision / recall tolerance), pixels. */
  tolerancePx: number
  /** The top of the heatmap's fixed colour scale, % of the frame side. */
  maxPercent: number
}

/** Where an export went: a folder the user chose (desktop), files for the browser to save (host), or nowhere. */
export type ExportResult =
  { kind: 'saved'; folder: string; files: string[] } | { kind: 'download'; files: NamedFile[] } | { kind: 'cancelled' }

/** Every edit may carry the studio's active drawing time, kept with the attempt. */
export interface EditArgs {
  attemptId: string
  activeMs?: number
  /** The window that made the edit: refused once another window took the studio over (claimStudio). */
  windowId?: string
}

export interface AttemptsApi {
  /** Begin a new attempt at a reference with an empty drawing. */
  startAttempt(args: { referenceId: string }): Promise<AttemptState>
  /** The attempt that was open when the app last stopped without finishing it (a crash), or null. */
  resumeAttempt(): Promise<AttemptState | null>
  /**
   * Draw on in an attempt from the history (finished or not): the same drawing, frame and time,
   * scored again. Until it is finished again it shows as unfinished. 'not-found' for a deleted
   * attempt or one whose reference is gone.
   */
  continueAttempt(args: { attemptId: string }): Promise<AttemptState>
  /**
   * Commit a finished stroke (at pen-up). Drops any redo entries, like every new edit. With
   * `layer: 'construction'` (pen strokes only) it is a construction line: kept in the history,
   * undone and replayed like any stroke, never scored.
   */
  commitStroke(args: EditArgs & { stroke: Stroke; layer?: 'construction' }): Promise<EditResult>
  /** Undo the last edit, on whichever layer (a construction edit leaves the score as it was). */
  undo(args: EditArgs): Promise<EditResult>
  redo(args: EditArgs): Promise<EditResult>
  /** Empty the drawing (or with `layer: 'construction'` the construction lines), as one undoable op. */
  clearDrawing(args: EditArgs & { layer?: 'construction' }): Promise<EditResult>
  /** Keep the attempt in the history with its final scores and images (an empty one leaves no trace). */
  finishAttempt(args: EditArgs): Promise<{ attemptId: string; evaluation: Evaluation }>
  /**
   * The full evaluation of the drawing as it is (Evaluate): the scores with placement, size and
   * turn apart from shape (alignment, proportion); the empty evaluation while nothing is drawn.
   */
  evaluateAttempt(args: { attemptId: string }): Promise<FullEvaluation | EmptyEvaluation>
  /** The error heatmap of the current drawing; null while there is no drawing. */
  attemptHeatmap(args: { attemptId: string; view: HeatmapView; scale: 1 | 2 }): Promise<HeatmapPicture | null>
  /**
   * A comparison picture for the canvas (see OverlayLayer), raw or with the reference moved onto
   * the drawing by the alignment; null while there is no drawing.
   */
  attemptOverlay(args: {
    attemptId: string
    layer: OverlayLayer
    view: HeatmapView
    aligned: boolean
    scale: 1 | 2
  }): Promise<OverlayPicture | null>
  /** The heatmap, the drawing alone (PNG) and the session (JSON), side by side. */
  exportAttempt(args: { attemptId: string; view: HeatmapView; scale: 1 | 2 }): Promise<ExportResult>
}

export const ATTEMPTS_METHODS = [
  'startAttempt',
  'resumeAttempt',
  'continueAttempt',
  'commitStroke',
  'undo',
  'redo',
  'clearDrawing',
  'finishAttempt',
  'evaluateAttempt',
  'attemptHeatmap',
  'attemptOverlay',
  'exportAttempt'
] as const satisfies readonly (keyof AttemptsApi)[]
