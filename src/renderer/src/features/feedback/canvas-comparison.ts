// What the canvas lays over the drawing while the report is open, and which ink goes on top.
import type { ScoredEvaluation } from '#shared/contract/scores.ts'
import type { DrawingOp, History } from '#shared/edit-history/index.ts'
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
 * The pen strokes drawn since the picture's drawing (so they show on top of it until the next
 * picture has them): those after its cursor, when the drawing only grew since; otherwise none
 * (an undo or a clear changes the picture itself, which follows at once).
 */
export function strokesSince(pictured: History | null, now: History): DrawingOp[] {
  if (!pictured || now.cursor < pictured.cursor) return []
  for (let i = 0; i < pictured.cursor; i++) if (now.ops[i] !== pictured.ops[i]) return []
  return now.ops.slice(pictured.cursor, now.cursor).filter((op) => op.kind === 'stroke')
}
