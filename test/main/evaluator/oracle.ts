// The obviously-correct evaluator the fast one is checked against: the spec read literally.
// Full breadth-first flood fills from scratch for every score, whole-mask snapshots for undo.
import type { Evaluation, GridCell } from '#shared/contract/scores.ts'

const GRID = 10

/** 4-connected BFS distance from every pixel of `sources` to the nearest source. */
export function bfsDistances(sources: Uint8Array, width: number, height: number): Int32Array {
  const dist = new Int32Array(width * height).fill(-1)
  const queue: number[] = []
  for (let p = 0; p < sources.length; p++) {
    if (sources[p]) {
      dist[p] = 0
      queue.push(p)
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const p = queue[head]
    const y = Math.floor(p / width),
      x = p % width
    const next = [
      y > 0 ? p - width : -1,
      y < height - 1 ? p + width : -1,
      x > 0 ? p - 1 : -1,
      x < width - 1 ? p + 1 : -1
    ]
    for (const q of next) {
      if (q >= 0 && dist[q] === -1) {
        dist[q] = dist[p] + 1
        queue.push(q)
      }
    }
  }
  return dist
}

export function oracleEvaluation(
  reference: Uint8Array,
  drawing: Uint8Array,
  width: number,
  height: number,
  tolerancePx?: number
): Evaluation {
  const side = Math.max(width, height)
  const tol = tolerancePx ?? Math.floor(side / 100)
  const refCount = reference.reduce((a, v) => a + (v ? 1 : 0), 0)
  const drawCount = drawing.reduce((a, v) => a + (v ? 1 : 0), 0)
  if (drawCount === 0) return { status: 'empty', reason: 'no drawing yet', referencePixels: refCount, drawingPixels: 0 }
  const toR = bfsDistances(reference, width, height)
  const toD = bfsDistances(drawing, width, height)
  const grid = Array.from({ length: GRID }, () => new Array<number>(GRID).fill(0))
  const dErrors: number[] = []
  const rErrors: number[] = []
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      const i = Math.floor((y * 10) / height),
        j = Math.floor((x * 10) / width)
      if (drawing[p]) {
        dErrors.push(toR[p])
        grid[i][j] = Math.max(grid[i][j], toR[p])
      }
      if (reference[p]) {
        rErrors.push(toD[p])
        grid[i][j] = Math.max(grid[i][j], toD[p])
      }
    }
  }
  const errors = [...dErrors, ...rErrors]
  const cells: GridCell[] = []
  for (let i = 0; i < GRID; i++) for (let j = 0; j < GRID; j++) cells.push({ row: i, col: j, value: grid[i][j] })
  const worstCells = [...cells]
    .sort((a, b) => b.value - a.value || a.row * 10 + a.col - (b.row * 10 + b.col))
    .slice(0, 5)
  const sum = (xs: number[]): number => xs.reduce((a, v) => a + v, 0)
  const mean5 = sum(worstCells.map((c) => c.value)) / 5
  const top5 = [...errors].sort((a, b) => b - a).slice(0, 5)
  const precision = dErrors.filter((e) => e <= tol).length / dErrors.length
  const recall = rErrors.filter((e) => e <= tol).length / rErrors.length
  return {
    status: 'scored',
    top5Error: (mean5 / side) * 100,
    meanError: (sum(errors) / errors.length / side) * 100,
    topError: (sum(top5) / 5 / side) * 100,
    referencePixels: rErrors.length,
    drawingPixels: dErrors.length,
    grid,
    extraInk: { mean: (sum(dErrors) / dErrors.length / side) * 100, max: (Math.max(...dErrors) / side) * 100 },
    missedLines: { mean: (sum(rErrors) / rErrors.length / side) * 100, max: (Math.max(...rErrors) / side) * 100 },
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    tolerancePx: tol,
    side,
    worstCells
  }
}

/** Ink with undo and redo kept as whole snapshots: the session-log rules, literally. */
export class OracleSession {
  readonly reference: Uint8Array
  readonly width: number
  readonly height: number
  ink: Uint8Array
  private undoStack: Uint8Array[] = []
  private redoStack: Uint8Array[] = []

  constructor(reference: Uint8Array, width: number, height: number) {
    this.reference = reference
    this.width = width
    this.height = height
    this.ink = new Uint8Array(width * height)
  }

  add(pixels: ArrayLike<number>): void {
    this.edit(pixels, 1)
  }

  erase(pixels: ArrayLike<number>): void {
    this.edit(pixels, 0)
  }

  clear(): void {
    this.edit(Array.from(this.ink.keys()), 0)
  }

  undo(): void {
    const prev = this.undoStack.pop()
    if (!prev) return
    this.redoStack.push(this.ink)
    this.ink = prev
  }

  redo(): void {
    const next = this.redoStack.pop()
    if (!next) return
    this.undoStack.push(this.ink)
    this.ink = next
  }

  reset(): void {
    this.ink = new Uint8Array(this.width * this.height)
    this.undoStack = []
    this.redoStack = []
  }

  evaluation(): Evaluation {
    return oracleEvaluation(this.reference, this.ink, this.width, this.height)
  }

  private edit(pixels: ArrayLike<number>, value: 0 | 1): void {
    this.undoStack.push(this.ink.slice())
    this.redoStack = []
    for (let k = 0; k < pixels.length; k++) this.ink[pixels[k]] = value
  }
}
