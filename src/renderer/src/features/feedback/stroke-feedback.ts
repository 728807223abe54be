// What the studio says about the stroke just drawn, from two consecutive scores: the stroke's own
// error (the mean distance of its new ink from the reference's lines) and the change of the top-5
// error. Both follow from the scores alone: extraInk.mean is the mean of e(d) over the drawing, so
// the sum over the new pixels is the difference of the two sums.
import type { Evaluation } from '#shared/contract/scores.ts'
import type { History } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'

export interface ScoredState {
  evaluation: Evaluation
  history: History
}

export interface StrokeFeedback {
  stroke: Stroke
  /** Mean error of the stroke's new ink, % of the frame side; null when it added no new pixel. */
  strokePercent: number | null
  /** top5Error after minus before; null for the first stroke (nothing to compare with). */
  delta: number | null
}

/** The sum of e(d) over the drawing in pixels (a whole number, recovered from the mean). */
function extraSum(e: Evaluation): number {
  return e.status === 'scored' ? Math.round((e.extraInk.mean * e.drawingPixels * e.side) / 100) : 0
}

/**
 * The feedback when `after` is `before` with one pen stroke added (nothing else: no undo, no
 * eraser, no edits scored together); otherwise null.
 */
export function strokeFeedback(before: ScoredState, after: ScoredState): StrokeFeedback | null {
  const b = before.history
  const a = after.history
  if (a.cursor !== b.cursor + 1 || after.evaluation.status !== 'scored') return null
  const op = a.ops[a.cursor - 1]
  if (op.kind !== 'stroke' || op.stroke.tool !== 'pen') return null
  for (let i = 0; i < b.cursor; i++) if (a.ops[i] !== b.ops[i]) return null
  const e = after.evaluation
  const added = e.drawingPixels - before.evaluation.drawingPixels
  const strokePercent = added > 0 ? ((extraSum(e) - extraSum(before.evaluation)) / added / e.side) * 100 : null
  const delta = before.evaluation.status === 'scored' ? e.top5Error - before.evaluation.top5Error : null
  return { stroke: op.stroke, strokePercent, delta }
}

/** "-2.3", "+0.4", "±0.0": the change with one decimal and its sign. */
export function formatDelta(delta: number): string {
  const text = Math.abs(delta).toFixed(1)
  if (text === '0.0') return '±0.0'
  return `${delta < 0 ? '-' : '+'}${text}`
}
