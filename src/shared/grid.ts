// The spec's 10 x 10 grid (docs/scoring.md section 4): pixel (y, x) lies in cell
// (floor(y * 10 / H), floor(x * 10 / W)). Shared by the evaluator, the heatmaps and the canvas.
import { GRID } from './contract/scores.ts'

/** First row (or column) of each cell along a side of n pixels, plus n: cell k has [start[k], start[k+1]). */
export function gridCellStarts(n: number): number[] {
  // floor(v * 10 / n) = k  <=>  v >= k * n / 10, so cell k starts at ceil(k * n / 10).
  return Array.from({ length: GRID + 1 }, (_, k) => Math.ceil((k * n) / GRID))
}

/** For each coordinate along a side of n pixels, its cell: floor(v * 10 / n). */
export function gridCellOf(n: number): Uint8Array {
  const cells = new Uint8Array(n)
  for (let v = 0; v < n; v++) cells[v] = Math.floor((v * GRID) / n)
  return cells
}
