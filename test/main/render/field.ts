// Error fields for the renderer tests, computed the plain way from the spec (brute-force L1
// distances, scores by their definitions), independent of the evaluator.
import type { ErrorField } from '#main/evaluator/core/error-field.ts'
import { GRID, type GridCell, type ScoredEvaluation } from '#shared/contract/scores.ts'

function distances(from: number[], to: number[], width: number): Int32Array {
  const out = new Int32Array(from.length)
  for (let i = 0; i < from.length; i++) {
    const fx = from[i] % width
    const fy = Math.floor(from[i] / width)
    let best = Infinity
    for (const q of to) best = Math.min(best, Math.abs(fx - (q % width)) + Math.abs(fy - Math.floor(q / width)))
    out[i] = best
  }
  return out
}

/** R and D as pixel indices (any order, repeats allowed); both non-empty. */
export function errorFieldOf(width: number, height: number, reference: number[], drawing: number[]): ErrorField {
  const R = [...new Set(reference)].sort((a, b) => a - b)
  const D = [...new Set(drawing)].sort((a, b) => a - b)
  const eR = distances(R, D, width)
  const eD = distances(D, R, width)
  const side = Math.max(width, height)
  const grid = Array.from({ length: GRID }, () => new Array<number>(GRID).fill(0))
  const note = (p: number, e: number): void => {
    const i = Math.floor((Math.floor(p / width) * GRID) / height)
    const j = Math.floor(((p % width) * GRID) / width)
    grid[i][j] = Math.max(grid[i][j], e)
  }
  R.forEach((p, n) => note(p, eR[n]))
  D.forEach((p, n) => note(p, eD[n]))
  const cells: GridCell[] = grid.flatMap((row, i) => row.map((value, j) => ({ row: i, col: j, value })))
  // Worst first; ties in row-major order (the sort is stable).
  const worstCells = [...cells].sort((a, b) => b.value - a.value).slice(0, 5)
  const all = [...eR, ...eD]
  const top5 = [...all].sort((a, b) => b - a).slice(0, 5)
  const mean = (xs: Int32Array): number => xs.reduce((a, b) => a + b, 0) / xs.length
  const max = (xs: Int32Array): number => xs.reduce((a, b) => Math.max(a, b), 0)
  const tol = Math.floor(side / 100)
  const precision = eD.filter((e) => e <= tol).length / D.length
  const recall = eR.filter((e) => e <= tol).length / R.length
  const evaluation: ScoredEvaluation = {
    status: 'scored',
    top5Error: (worstCells.reduce((a, c) => a + c.value, 0) / 5 / side) * 100,
    meanError: (all.reduce((a, b) => a + b, 0) / all.length / side) * 100,
    topError: (top5.reduce((a, b) => a + b, 0) / 5 / side) * 100,
    referencePixels: R.length,
    drawingPixels: D.length,
    grid,
    extraInk: { mean: (mean(eD) / side) * 100, max: (max(eD) / side) * 100 },
    missedLines: { mean: (mean(eR) / side) * 100, max: (max(eR) / side) * 100 },
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    tolerancePx: tol,
    side,
    worstCells
  }
  return {
    width,
    height,
    referencePixels: Int32Array.from(R),
    referenceErrors: eR,
    drawingPixels: Int32Array.from(D),
    drawingErrors: eD,
    evaluation
  }
}

/** Pixels of a 1-pixel circle outline (rounded points), clipped to the frame. */
export function circle(
  width: number,
  height: number,
  cx: number,
  cy: number,
  r: number,
  wobble = (_a: number) => 0
): number[] {
  const out: number[] = []
  const steps = Math.ceil(2 * Math.PI * r * 2)
  for (let k = 0; k < steps; k++) {
    const a = (2 * Math.PI * k) / steps
    const rr = r + wobble(a)
    const x = Math.round(cx + rr * Math.cos(a))
    const y = Math.round(cy + rr * Math.sin(a))
    if (x >= 0 && y >= 0 && x < width && y < height) out.push(y * width + x)
  }
  return out
}

/** Pixels of a straight segment (rounded points). */
export function segment(width: number, x0: number, y0: number, x1: number, y1: number): number[] {
  const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0), 1)
  return Array.from(
    { length: n + 1 },
    (_, k) => Math.round(y0 + ((y1 - y0) * k) / n) * width + Math.round(x0 + ((x1 - x0) * k) / n)
  )
}
