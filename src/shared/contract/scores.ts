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

/**
 * How the drawing sits against the reference, apart from its shape: the similarity transform
 * that best moves the drawing's ink onto the reference's (least symmetric mean L1 distance), and
 * the spec's figures for the drawing so moved. The drawing is the reference turned, scaled and
 * shifted, turned and scaled about the drawing's ink centroid (`pivot`).
 */
export interface Alignment {
  /** Frame pixels from the reference to the drawing: dx > 0 the drawing sits to the right, dy > 0 below. */
  dx: number
  dy: number
  /** The drawing's size over the reference's: < 1 too small, > 1 too large. */
  scale: number
  /** Degrees the drawing is turned against the reference: > 0 clockwise. */
  rotationDeg: number
  /** top5Error of the drawing once aligned: the shape error, placement, size and turn taken out. */
  top5Error: number
  /** meanError of the drawing once aligned. */
  meanError: number
  /** The drawing's ink centroid in frame pixels, which the scale and turn are about. */
  pivot: { x: number; y: number }
}

/** The drawing's ink bounding box over the reference's, across and down. */
export interface Proportion {
  widthRatio: number
  heightRatio: number
}

/** What the full evaluation adds to the per-stroke figures (never computed on the stroke path). */
export interface ShapeAnalysis {
  alignment: Alignment
  proportion: Proportion
}

/** A scored evaluation with its shape analysis: what Evaluate, the report and the CLI give. */
export type FullEvaluation = ScoredEvaluation & ShapeAnalysis
