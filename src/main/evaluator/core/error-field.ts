import type { ScoredEvaluation } from '#shared/contract/scores.ts'

/**
 * Every error behind a scored evaluation, pixel by pixel: what the heatmap renderer draws.
 * Pixels are row-major indices y * width + x. Asked for on demand (it is |D| + |R| numbers),
 * never sent after every stroke.
 */
export interface ErrorField {
  width: number
  height: number
  /** R, in ascending pixel order, and e(r) = dist(r, D) for each, in pixels. */
  referencePixels: Int32Array
  referenceErrors: Int32Array
  /** D, in ascending pixel order, and e(d) = dist(d, R) for each, in pixels. */
  drawingPixels: Int32Array
  drawingErrors: Int32Array
  evaluation: ScoredEvaluation
}
