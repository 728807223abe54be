// The evaluator's answer after any event: the scores of docs/scoring.md, or an explicit
// "no score" while the drawing is empty. Never 0 or NaN for "none".

/** Mean and max of one direction's errors, in % of the frame side. */
export interface DirectionStats {
  mean: number
  max: number
}

/** A grid cell: row i, column j of the 10 x 10 grid, and its value in pixels. */
export interface GridCell {
  row: number
  col: number
  value: number
}

export interface ScoredEvaluation {
  status: 'scored'
  /** Mean of the 5 largest grid values / side * 100: the headline score. */
  top5Error: number
  /** Mean of all |D| + |R| errors / side * 100. */
  meanError: number
  /** Sum of the 5 largest errors / 5 / side * 100. */
  topError: number
  /** |R| */
  referencePixels: number
  /** |D| */
  drawingPixels: number
  /** grid[i][j]: max error in pixels over the drawing and reference pixels of cell (i, j); 0 if none. */
  grid: number[][]
  /** Errors of the drawing pixels (ink where there is none), % of side. */
  extraInk: DirectionStats
  /** Errors of the reference pixels (lines that were missed), % of side. */
  missedLines: DirectionStats
  /** Share of drawing pixels within tolerancePx of the reference (0..1). */
  precision: number
  /** Share of reference pixels within tolerancePx of the drawing (0..1). */
  recall: number
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number
  /** The precision / recall tolerance in whole pixels (default floor(1 % of side)). */
  tolerancePx: number
  /** max(W, H): the unit of every percentage. */
  side: number
  /** The five cells behind top5Error, worst first (ties in row-major order). */
  worstCells: GridCell[]
}

export interface EmptyEvaluation {
  status: 'empty'
  reason: 'no drawing yet'
  referencePixels: number
  drawingPixels: 0
}

export type Evaluation = ScoredEvaluation | EmptyEvaluation

export const GRID = 10
