// The evaluator's 10 x 10 grid (spec section 4) as the overlays draw it, in frame coordinates:
// the cell boundaries come from the one shared grid geometry.
import { gridCellStarts } from '#shared/grid.ts'

/** The inner grid lines along a side of `size` pixels (9 of them). */
export function gridLines(size: number): number[] {
  return gridCellStarts(size).slice(1, -1)
}

export interface CellRect {
  row: number
  col: number
  x: number
  y: number
  width: number
  height: number
}

export function cellRect(row: number, col: number, frame: { width: number; height: number }): CellRect {
  const xs = gridCellStarts(frame.width)
  const ys = gridCellStarts(frame.height)
  return { row, col, x: xs[col], y: ys[row], width: xs[col + 1] - xs[col], height: ys[row + 1] - ys[row] }
}
