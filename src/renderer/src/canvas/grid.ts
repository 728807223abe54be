// The evaluator's 10 x 10 grid (spec section 4): pixel (y, x) is in cell (floor(y * 10 / H),
// floor(x * 10 / W)). Its lines and cells, in frame coordinates, for the grid and heatmap overlays.
import { GRID } from '../../../shared/scores.ts'

/** Where cell k begins along a side of `size` pixels: the first pixel p with floor(p * GRID / size) = k. */
export function cellStart(k: number, size: number): number {
  return Math.ceil((k * size) / GRID)
}

/** The inner grid lines along a side (GRID - 1 of them). */
export function gridLines(size: number): number[] {
  return Array.from({ length: GRID - 1 }, (_, i) => cellStart(i + 1, size))
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
  const x = cellStart(col, frame.width)
  const y = cellStart(row, frame.height)
  return { row, col, x, y, width: cellStart(col + 1, frame.width) - x, height: cellStart(row + 1, frame.height) - y }
}
