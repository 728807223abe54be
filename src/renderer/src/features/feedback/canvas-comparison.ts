// What the canvas lays over the drawing while the report is open, and which ink goes on top.
import type { ScoredEvaluation } from '#shared/contract/scores.ts'
import { isScored, type DrawingOp, type History } from '#shared/edit-history/index.ts'
import type { Comparison } from '#renderer/stores/view.ts'
import type { LoadedOverlay } from './use-comparison.ts'

export interface CanvasComparison {
  mode: Comparison
  aligned: boolean
  /** The main side's picture for the mode, once it has arrived. */
  picture: LoadedOverlay | null
  /** The picture could not be made (the heatmap then shades the grid cells from the scores). */
  failed: boolean
  /** The raw scores: the worst cells, and the fallback. */
  evaluation: ScoredEvaluation
  onionOpacity: number
  swipeAt: number
  flickerReference: boolean
}

/**
 * The scored strokes drawn since the picture's drawing (so they show on top of it until the next
 * picture has them): those after its cursor and after the last clear of the drawing, when the
 * history only grew since; otherwise none (an undo changes the picture itself, which follows at
 * once). Construction lines are never scored, so never in the picture: they keep their own layer.
 */
export function strokesSince(pictured: History | null, now: History): DrawingOp[] {
  if (!pictured || now.cursor < pictured.cursor) return []
  for (let i = 0; i < pictured.cursor; i++) if (now.ops[i] !== pictured.ops[i]) return []
  const added = now.ops.slice(pictured.cursor, now.cursor).filter(isScored)
  return added.slice(added.findLastIndex((op) => op.kind === 'clear') + 1)
}
