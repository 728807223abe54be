// The spec's scores (docs/scoring.md sections 2-4) of one finished drawing, recomputed from
// scratch: two L1 distance transforms and one pass over the frame. The streaming evaluator keeps
// the same figures exact while a drawing changes; a batch of finished drawings needs none of that
// machinery (blocks, histograms kept up to date, a WebAssembly memory per frame), so this is the
// cheaper path for `sightline report`. The figures are the same numbers, computed in the same
// order (tests compare the two on many drawings).
import { StudioError } from '#shared/contract/errors.ts'
import { GRID, type Evaluation, type GridCell } from '#shared/contract/scores.ts'
import { gridCellOf } from '#shared/grid.ts'
import type { ErrorField } from '#main/evaluator/core/error-field.ts'
import { checkFrame, defaultTolerance } from '#main/evaluator/core/frame.ts'
import { DistanceKernels, type InkView } from './kernels.ts'

export type { InkView }

const CELLS = GRID * GRID

/** A mask (width * height bytes, non-zero = ink) as an ink view. */
export function maskInk(mask: Uint8Array, width: number): InkView {
  return { data: mask, offset: 0, rowStride: width, pixelStride: 1, blank: 0 }
}

/** Buffers reused from one image to the next of the same frame (a batch scores thousands). */
export class FullScorer {
  readonly width: number
  readonly height: number
  readonly side: number
  readonly tolerancePx: number
  /** dist(p, R) and the pixels of R in slot 0, dist(p, D) and the pixels of D in slot 1. */
  private readonly kernels: DistanceKernels
  private readonly rowCell: Uint8Array
  private readonly colCell: Uint8Array
  private readonly drawHist: Int32Array
  private readonly refHist: Int32Array
  private readonly cellMaxD = new Int32Array(CELLS)
  private readonly cellMaxR = new Int32Array(CELLS)
  private referenceCount = 0

  constructor(width: number, height: number, tolerancePx?: number) {
    checkFrame(width, height)
    this.width = width
    this.height = height
    this.side = Math.max(width, height)
    this.tolerancePx = tolerancePx ?? defaultTolerance(this.side)
    if (!Number.isInteger(this.tolerancePx) || this.tolerancePx < 0)
      throw new StudioError('invalid-input', `the tolerance must be a whole number of pixels >= 0, not ${tolerancePx}`)
    this.kernels = new DistanceKernels(width, height)
    this.rowCell = gridCellOf(height)
    this.colCell = gridCellOf(width)
    this.drawHist = new Int32Array(width + height + 1)
    this.refHist = new Int32Array(width + height + 1)
  }

  /**
   * The evaluation of `drawing` against `reference` (masks of the frame, non-zero = ink).
   * `source` (a file name) starts the 'no-ink' error's message.
   */
  evaluate(reference: Uint8Array, drawing: Uint8Array, source?: string): Evaluation {
    this.checkMask('reference', reference)
    this.checkMask('drawing', drawing)
    return this.run(maskInk(reference, this.width), maskInk(drawing, this.width), false, source).evaluation
  }

  /** The same from ink views (checked to lie inside their data). */
  evaluateViews(reference: InkView, drawing: InkView, source?: string): Evaluation {
    return this.run(reference, drawing, false, source).evaluation
  }

  /** The evaluation and, when there is a drawing, every per-pixel error behind it (heatmaps). */
  field(
    reference: Uint8Array,
    drawing: Uint8Array,
    source?: string
  ): { evaluation: Evaluation; field: ErrorField | null } {
    this.checkMask('reference', reference)
    this.checkMask('drawing', drawing)
    return this.run(maskInk(reference, this.width), maskInk(drawing, this.width), true, source)
  }

  /** The reference's ink pixels of the last evaluation, ascending (valid until the next one). */
  referenceInk(): Int32Array {
    return this.kernels.inkList[0].subarray(0, this.referenceCount)
  }

  private checkMask(name: string, mask: Uint8Array): void {
    const n = this.width * this.height
    if (mask.length !== n)
      throw new StudioError(
        'invalid-input',
        `the ${name} mask has ${mask.length} pixels; a ${this.width} x ${this.height} frame has ${n}`
      )
  }

  private run(
    reference: InkView,
    drawing: InkView,
    withField: boolean,
    source: string | undefined
  ): { evaluation: Evaluation; field: ErrorField | null } {
    const { width, height, side } = this
    const { kernels } = this
    kernels.release()
    const nR = kernels.transform(reference, 0)
    this.referenceCount = nR
    if (nR === 0)
      throw new StudioError(
        'no-ink',
        `${source ? `${source}: ` : ''}the reference has no ink; lower the threshold or pick another image`
      )
    const nD = kernels.transform(drawing, 1)
    if (nD === 0)
      return {
        evaluation: { status: 'empty', reason: 'no drawing yet', referencePixels: nR, drawingPixels: 0 },
        field: null
      }

    const [toReference, toDrawing] = kernels.distance
    const [referenceList, drawingList] = kernels.inkList
    const { drawHist, refHist, cellMaxD, cellMaxR } = this
    drawHist.fill(0)
    refHist.fill(0)
    const drawSum = this.tally(drawingList, nD, toReference, drawHist, cellMaxD)
    const refSum = this.tally(referenceList, nR, toDrawing, refHist, cellMaxR)

    // The grid, and the five worst cells (largest first, ties in row-major order).
    const values = new Int32Array(CELLS)
    let maxD = 0,
      maxR = 0
    for (let c = 0; c < CELLS; c++) {
      values[c] = Math.max(cellMaxD[c], cellMaxR[c])
      if (cellMaxD[c] > maxD) maxD = cellMaxD[c]
      if (cellMaxR[c] > maxR) maxR = cellMaxR[c]
    }
    const order = Array.from({ length: CELLS }, (_, c) => c).sort((a, b) => values[b] - values[a] || a - b)
    const worstCells: GridCell[] = []
    let top5Sum = 0
    for (let k = 0; k < 5; k++) {
      const c = order[k]
      top5Sum += values[c]
      worstCells.push({ row: (c / GRID) | 0, col: c % GRID, value: values[c] })
    }
    const grid: number[][] = []
    for (let i = 0; i < GRID; i++) grid.push(Array.from(values.subarray(i * GRID, (i + 1) * GRID)))

    // The five largest of all |D| + |R| errors.
    let topSum = 0
    for (let v = drawHist.length - 1, left = 5; v >= 0 && left > 0; v--) {
      const k = Math.min(left, drawHist[v] + refHist[v])
      topSum += k * v
      left -= k
    }
    let withinD = 0,
      withinR = 0
    for (let v = 0; v <= Math.min(this.tolerancePx, drawHist.length - 1); v++) {
      withinD += drawHist[v]
      withinR += refHist[v]
    }
    const precision = withinD / nD
    const recall = withinR / nR
    const evaluation: Evaluation = {
      status: 'scored',
      top5Error: (top5Sum / 5 / side) * 100,
      meanError: ((drawSum + refSum) / (nD + nR) / side) * 100,
      topError: (topSum / 5 / side) * 100,
      referencePixels: nR,
      drawingPixels: nD,
      grid,
      extraInk: { mean: (drawSum / nD / side) * 100, max: (maxD / side) * 100 },
      missedLines: { mean: (refSum / nR / side) * 100, max: (maxR / side) * 100 },
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      tolerancePx: this.tolerancePx,
      side,
      worstCells
    }
    if (!withField) return { evaluation, field: null }
    const errorsAt = (list: Int32Array, count: number, dist: Uint16Array): Int32Array => {
      const out = new Int32Array(count)
      for (let k = 0; k < count; k++) out[k] = dist[list[k]]
      return out
    }
    return {
      evaluation,
      field: {
        width,
        height,
        referencePixels: referenceList.slice(0, nR),
        referenceErrors: errorsAt(referenceList, nR, toDrawing),
        drawingPixels: drawingList.slice(0, nD),
        drawingErrors: errorsAt(drawingList, nD, toReference),
        evaluation
      }
    }
  }

  /** Histogram, per-cell maxima and sum of the errors (distances in `dist`) of the listed pixels. */
  private tally(list: Int32Array, count: number, dist: Uint16Array, hist: Int32Array, cellMax: Int32Array): number {
    const { width, rowCell, colCell } = this
    cellMax.fill(0)
    let sum = 0
    for (let k = 0; k < count; k++) {
      const p = list[k]
      const e = dist[p]
      const y = (p / width) | 0
      const c = rowCell[y] * GRID + colCell[p - y * width]
      hist[e]++
      sum += e
      if (e > cellMax[c]) cellMax[c] = e
    }
    return sum
  }
}
