// The streaming evaluator: the spec's scores (evaluation-spec.md) kept exact after every add,
// erase, undo and redo, touching only what can change.
//
// e(d) = dist(d, R) for drawing pixels never changes (R is fixed): one distance map of the
// reference, computed once. e(r) = dist(r, D) is needed only at the reference pixels, so we keep
// one number per reference pixel instead of a whole-frame map of D:
// - adding pixels S can only lower e(r), to dist(r, S). For L1 distance and a box around S,
//   dist(r, S) = |r - clamp(r)| + dist(clamp(r), S), so one small distance transform over S's
//   bounding box answers every reference pixel in O(1). Reference pixels are grouped in small
//   blocks (and blocks in grid cells) with their largest error; a block whose distance to the
//   box is already >= its largest error cannot improve and is skipped whole.
// - erasing pixels E can only raise e(r), and only where an erased pixel was a nearest one:
//   dist(r, E) == e(r). Those few get their new distance from a distance transform of the
//   remaining ink over a window around them, grown until the window provably holds the answer.
// Per-cell maxima and two histograms of error values give the grid, means, top-5 and counts.

import { StudioError } from '../../shared/errors.ts'
import { GRID, type Evaluation, type GridCell } from '../../shared/scores.ts'
import type { ErrorField } from './error-field.ts'
import { FAR, distanceTransform } from './distance-transform.ts'
import { checkFrame, defaultTolerance } from './frame.ts'
import { gridCellOf, gridCellStarts } from '../../shared/grid.ts'
import { ErrorHistogram, HIST_SHIFT } from './histogram.ts'

const CELLS = GRID * GRID
/** Side of a reference block in pixels (blocks never straddle grid cells). */
const BLOCK = 8
/** Window scratch kept between calls up to this many cells; larger ones are transient. */
const KEEP_SCRATCH = 1 << 16
const YX_SHIFT = 12
const YX_MASK = (1 << YX_SHIFT) - 1

export type EditKind = 'add' | 'erase'

/** Machine-independent work counters, cumulative since construction. */
export interface EvaluatorCounters {
  /** Frame cells visited by distance transforms and cell rescans. */
  pixelsVisited: number
  /** Reference pixels whose error was tested. */
  referenceTests: number
  /** Reference blocks examined. */
  blocksExamined: number
  /** Reference pixels whose error changed: the least work any exact method must do. */
  referenceChanges: number
}

interface HistoryEntry {
  kind: EditKind
  /** The pixels this edit actually changed (ink that was new, or ink that was removed). */
  pixels: Int32Array
}

export interface EvaluatorOptions {
  /** Precision / recall tolerance in pixels; default floor(1 % of max(W, H)). */
  tolerancePx?: number
}

export class StreamingEvaluator {
  readonly width: number
  readonly height: number
  readonly side: number
  readonly tolerancePx: number
  readonly referencePixelCount: number
  readonly counters: EvaluatorCounters = { pixelsVisited: 0, referenceTests: 0, blocksExamined: 0, referenceChanges: 0 }

  // Frame-wide maps.
  private readonly refDist: Uint16Array // dist(p, R) for every frame pixel
  // D as a ready distance-transform source: 0 at ink, FAR elsewhere, so a window's transform
  // starts from a row copy instead of a per-pixel conversion.
  private readonly ink: Uint16Array
  private readonly rowBand: Uint8Array
  private readonly colBand: Uint8Array
  private readonly rowStart: Int32Array
  private readonly colStart: Int32Array

  // Reference pixels grouped by cell, then by block; errors FAR while the drawing is empty.
  /** (y << 12) | x of each reference pixel: one load for both (sides are at most 4096). */
  private readonly refYX: Int32Array
  private readonly refErr: Int32Array
  private readonly blockStart: Int32Array
  private readonly blockY0: Int32Array
  private readonly blockY1: Int32Array
  private readonly blockX0: Int32Array
  private readonly blockX1: Int32Array
  private readonly blockMax: Int32Array
  private readonly cellBlockStart: Int32Array
  private readonly cellY0: Int32Array
  private readonly cellY1: Int32Array
  private readonly cellX0: Int32Array
  private readonly cellX1: Int32Array
  private readonly cellMaxR: Int32Array
  private readonly cellMaxD: Int32Array
  private readonly refHist: ErrorHistogram
  private readonly drawHist: ErrorHistogram

  private drawn = 0
  private history: HistoryEntry[] = []
  private cursor = 0
  private scratch = new Uint16Array(0)
  private readonly cellValues = new Int32Array(CELLS)
  private readonly topCells = new Int32Array(5)
  private readonly largestErrors = new Int32Array(10)
  private list = new Int32Array(0)

  /** Build from the reference ink mask (width * height bytes, non-zero = ink). */
  constructor(referenceMask: Uint8Array, width: number, height: number, options: EvaluatorOptions = {}) {
    checkFrame(width, height)
    const n = width * height
    if (referenceMask.length !== n) {
      throw new StudioError('invalid-input', `the reference mask has ${referenceMask.length} pixels; a ${width} x ${height} frame has ${n}`)
    }
    this.width = width
    this.height = height
    this.side = Math.max(width, height)
    this.tolerancePx = options.tolerancePx ?? defaultTolerance(this.side)
    if (!Number.isInteger(this.tolerancePx) || this.tolerancePx < 0) {
      throw new StudioError('invalid-input', `the tolerance must be a whole number of pixels >= 0, not ${this.tolerancePx}`)
    }

    // One scan of the mask: the ink pixels in row-major order, and the distance map's sources.
    this.refDist = new Uint16Array(n).fill(FAR)
    let inkPixels = new Int32Array(1024)
    let count = 0
    for (let p = 0; p < n; p++) {
      if (referenceMask[p] === 0) continue
      if (count === inkPixels.length) {
        const grown = new Int32Array(count * 2)
        grown.set(inkPixels)
        inkPixels = grown
      }
      inkPixels[count++] = p
      this.refDist[p] = 0
    }
    if (count === 0) throw new StudioError('no-ink', 'the reference has no ink; lower the threshold or pick another image')
    this.referencePixelCount = count
    distanceTransform(this.refDist, width, height)

    this.ink = new Uint16Array(n).fill(FAR)
    this.rowBand = gridCellOf(height)
    this.colBand = gridCellOf(width)
    this.rowStart = Int32Array.from(gridCellStarts(height))
    this.colStart = Int32Array.from(gridCellStarts(width))

    // Group reference pixels by (cell, block within cell) with a counting sort; a pixel's key is
    // a row part plus a column part.
    const blocksDown = Math.ceil(this.maxBandSize(this.rowStart) / BLOCK)
    const blocksAcross = Math.ceil(this.maxBandSize(this.colStart) / BLOCK)
    const perCell = blocksDown * blocksAcross
    const rowKey = new Int32Array(height)
    for (let y = 0; y < height; y++) {
      const i = this.rowBand[y]
      rowKey[y] = i * GRID * perCell + (((y - this.rowStart[i]) / BLOCK) | 0) * blocksAcross
    }
    const colKey = new Int32Array(width)
    for (let x = 0; x < width; x++) {
      const j = this.colBand[x]
      colKey[x] = j * perCell + (((x - this.colStart[j]) / BLOCK) | 0)
    }
    const keys = new Int32Array(count)
    const keyCount = new Int32Array(CELLS * perCell + 1)
    for (let k = 0; k < count; k++) {
      const p = inkPixels[k], y = (p / width) | 0
      const key = rowKey[y] + colKey[p - y * width]
      keys[k] = key
      keyCount[key + 1]++
    }
    let blocks = 0
    for (let k = 1; k < keyCount.length; k++) {
      if (keyCount[k] > 0) blocks++
      keyCount[k] += keyCount[k - 1]
    }
    this.refYX = new Int32Array(count)
    const fill = keyCount.slice(0, keyCount.length - 1)
    for (let k = 0; k < count; k++) {
      const p = inkPixels[k], y = (p / width) | 0
      const at = fill[keys[k]]++
      this.refYX[at] = (y << YX_SHIFT) | (p - y * width)
    }
    this.refErr = new Int32Array(count).fill(FAR)
    this.blockStart = new Int32Array(blocks + 1)
    this.blockY0 = new Int32Array(blocks)
    this.blockY1 = new Int32Array(blocks)
    this.blockX0 = new Int32Array(blocks)
    this.blockX1 = new Int32Array(blocks)
    this.blockMax = new Int32Array(blocks).fill(FAR)
    this.cellBlockStart = new Int32Array(CELLS + 1)
    this.cellY0 = new Int32Array(CELLS).fill(height)
    this.cellY1 = new Int32Array(CELLS).fill(-1)
    this.cellX0 = new Int32Array(CELLS).fill(width)
    this.cellX1 = new Int32Array(CELLS).fill(-1)
    let b = 0
    for (let k = 0; k < keyCount.length - 1; k++) {
      const from = keyCount[k], to = keyCount[k + 1]
      if (from === to) continue
      const cell = (k / perCell) | 0
      let y0 = height, y1 = -1, x0 = width, x1 = -1
      for (let i = from; i < to; i++) {
        const y = this.refYX[i] >> YX_SHIFT, x = this.refYX[i] & YX_MASK
        if (y < y0) y0 = y
        if (y > y1) y1 = y
        if (x < x0) x0 = x
        if (x > x1) x1 = x
      }
      this.blockStart[b] = from
      this.blockY0[b] = y0
      this.blockY1[b] = y1
      this.blockX0[b] = x0
      this.blockX1[b] = x1
      this.cellBlockStart[cell + 1] = b + 1
      if (y0 < this.cellY0[cell]) this.cellY0[cell] = y0
      if (y1 > this.cellY1[cell]) this.cellY1[cell] = y1
      if (x0 < this.cellX0[cell]) this.cellX0[cell] = x0
      if (x1 > this.cellX1[cell]) this.cellX1[cell] = x1
      b++
    }
    this.blockStart[blocks] = count
    // Cells without blocks start where the previous cell ended.
    for (let c = 1; c <= CELLS; c++) if (this.cellBlockStart[c] < this.cellBlockStart[c - 1]) this.cellBlockStart[c] = this.cellBlockStart[c - 1]
    this.cellMaxR = new Int32Array(CELLS)
    this.cellMaxD = new Int32Array(CELLS)
    for (let c = 0; c < CELLS; c++) this.cellMaxR[c] = this.cellBlockStart[c + 1] > this.cellBlockStart[c] ? FAR : 0
    const maxError = width + height
    this.refHist = new ErrorHistogram(maxError)
    this.drawHist = new ErrorHistogram(maxError)
  }

  /** |D| */
  get drawingPixelCount(): number {
    return this.drawn
  }

  get canUndo(): boolean {
    return this.cursor > 0
  }

  get canRedo(): boolean {
    return this.cursor < this.history.length
  }

  /** Set pixels (a pen stroke). Returns the pixels that were not ink before. */
  add(pixels: ArrayLike<number>): Int32Array {
    const changed = this.applyAdd(pixels)
    this.record('add', changed)
    return changed
  }

  /** Clear pixels (an eraser stroke). Returns the pixels that were ink before. */
  erase(pixels: ArrayLike<number>): Int32Array {
    const changed = this.applyErase(pixels)
    this.record('erase', changed)
    return changed
  }

  /** Erase every ink pixel, as one undoable edit. Returns the pixels that were ink. */
  clear(): Int32Array {
    const all = new Int32Array(this.drawn)
    for (let p = 0, k = 0; k < all.length; p++) if (this.ink[p] === 0) all[k++] = p
    return this.erase(all)
  }

  /** Restore the ink to exactly what it was before the latest not-undone add or erase. */
  undo(): boolean {
    if (this.cursor === 0) return false
    const entry = this.history[--this.cursor]
    if (entry.kind === 'add') this.applyErase(entry.pixels)
    else this.applyAdd(entry.pixels)
    return true
  }

  /** Re-apply the latest undone add or erase. */
  redo(): boolean {
    if (this.cursor === this.history.length) return false
    const entry = this.history[this.cursor++]
    if (entry.kind === 'add') this.applyAdd(entry.pixels)
    else this.applyErase(entry.pixels)
    return true
  }

  /** An empty drawing and no history. */
  reset(): void {
    this.ink.fill(FAR)
    this.drawHist.clear()
    this.cellMaxD.fill(0)
    this.drawn = 0
    this.forgetReferenceErrors()
    this.history = []
    this.cursor = 0
  }

  /** Is pixel p ink in the drawing? */
  isInk(p: number): boolean {
    return this.ink[p] === 0
  }

  evaluation(): Evaluation {
    if (this.drawn === 0) return { status: 'empty', reason: 'no drawing yet', referencePixels: this.referencePixelCount, drawingPixels: 0 }
    const side = this.side
    const values = this.cellValues
    let maxD = 0, maxR = 0
    for (let c = 0; c < CELLS; c++) {
      const d = this.cellMaxD[c], r = this.cellMaxR[c]
      if (d > maxD) maxD = d
      if (r > maxR) maxR = r
      values[c] = d > r ? d : r
    }
    const grid: number[][] = []
    for (let c = 0; c < CELLS; c += GRID) {
      grid.push([values[c], values[c + 1], values[c + 2], values[c + 3], values[c + 4], values[c + 5], values[c + 6], values[c + 7], values[c + 8], values[c + 9]])
    }
    // The five worst cells, largest value first, equal values in row-major order: scanning in
    // row-major order, a cell enters only if strictly larger than the current fifth.
    const top = this.topCells
    let kept = 0
    for (let c = 0; c < CELLS; c++) {
      const v = values[c]
      if (kept === 5 && v <= values[top[4]]) continue
      let at = kept < 5 ? kept++ : 4
      while (at > 0 && values[top[at - 1]] < v) {
        top[at] = top[at - 1]
        at--
      }
      top[at] = c
    }
    const worstCells: GridCell[] = []
    let top5Sum = 0
    for (let k = 0; k < 5; k++) {
      const c = top[k]
      top5Sum += values[c]
      worstCells.push({ row: (c / GRID) | 0, col: c % GRID, value: values[c] })
    }

    const largest = this.largestErrors
    const nd = this.drawHist.largest(5, largest)
    const nr = this.refHist.largest(5, largest.subarray(5))
    let i = 0, j = 5, topSum = 0
    for (let k = 0; k < 5 && (i < nd || j < 5 + nr); k++) {
      if (j >= 5 + nr || (i < nd && largest[i] >= largest[j])) topSum += largest[i++]
      else topSum += largest[j++]
    }

    const nD = this.drawn, nR = this.referencePixelCount
    const precision = this.drawHist.countAtMost(this.tolerancePx) / nD
    const recall = this.refHist.countAtMost(this.tolerancePx) / nR
    return {
      status: 'scored',
      top5Error: ((top5Sum / 5) / side) * 100,
      meanError: ((this.drawHist.sum + this.refHist.sum) / (nD + nR) / side) * 100,
      topError: (topSum / 5 / side) * 100,
      referencePixels: nR,
      drawingPixels: nD,
      grid,
      extraInk: { mean: (this.drawHist.sum / nD / side) * 100, max: (maxD / side) * 100 },
      missedLines: { mean: (this.refHist.sum / nR / side) * 100, max: (maxR / side) * 100 },
      precision,
      recall,
      f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
      tolerancePx: this.tolerancePx,
      side,
      worstCells
    }
  }

  /** Every error behind the current evaluation, for heatmaps; null while the drawing is empty. */
  errorField(): ErrorField | null {
    const evaluation = this.evaluation()
    if (evaluation.status !== 'scored') return null
    const { width, height } = this
    const refPixels = new Int32Array(this.referencePixelCount)
    const refErrors = new Int32Array(this.referencePixelCount)
    const order = new Int32Array(this.referencePixelCount)
    for (let i = 0; i < order.length; i++) {
      order[i] = i
      refPixels[i] = (this.refYX[i] >> YX_SHIFT) * width + (this.refYX[i] & YX_MASK)
    }
    order.sort((a, b) => refPixels[a] - refPixels[b])
    const sortedPixels = new Int32Array(order.length)
    for (let k = 0; k < order.length; k++) {
      sortedPixels[k] = refPixels[order[k]]
      refErrors[k] = this.refErr[order[k]]
    }
    const drawingPixels = new Int32Array(this.drawn)
    const drawingErrors = new Int32Array(this.drawn)
    for (let p = 0, k = 0; p < this.ink.length; p++) {
      if (this.ink[p] === 0) {
        drawingPixels[k] = p
        drawingErrors[k++] = this.refDist[p]
      }
    }
    return { width, height, referencePixels: sortedPixels, referenceErrors: refErrors, drawingPixels, drawingErrors, evaluation }
  }

  // --- edits -------------------------------------------------------------------------------

  private record(kind: EditKind, pixels: Int32Array): void {
    // A new edit drops the redo tail; a no-op edit is still an undo step (session-log rules).
    this.history.length = this.cursor
    this.history.push({ kind, pixels })
    this.cursor++
  }

  /** Every pixel is checked before any is applied, so a bad list changes nothing. */
  private checkPixels(pixels: ArrayLike<number>): void {
    const n = this.ink.length
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      if (!(p >= 0 && p < n && Math.floor(p) === p)) {
        throw new StudioError('invalid-input', `pixel ${p} is outside the ${this.width} x ${this.height} frame`)
      }
    }
  }

  private pixelList(size: number): Int32Array {
    if (this.list.length < size) this.list = new Int32Array(Math.max(size, this.list.length * 2, 256))
    return this.list
  }

  private applyAdd(pixels: ArrayLike<number>): Int32Array {
    const { width, ink, refDist, rowBand, colBand, cellMaxD, drawHist } = this
    const { fine, coarse } = drawHist
    this.checkPixels(pixels)
    const fresh = this.pixelList(pixels.length)
    let count = 0, sum = 0, y0 = this.height, y1 = -1, x0 = width, x1 = -1
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      if (ink[p] === 0) continue
      ink[p] = 0
      fresh[count++] = p
      const e = refDist[p]
      fine[e]++
      coarse[e >> HIST_SHIFT]++
      sum += e
      const y = (p / width) | 0, x = p - y * width
      const c = rowBand[y] * GRID + colBand[x]
      if (e > cellMaxD[c]) cellMaxD[c] = e
      if (y < y0) y0 = y
      if (y > y1) y1 = y
      if (x < x0) x0 = x
      if (x > x1) x1 = x
    }
    drawHist.count += count
    drawHist.sum += sum
    const changed = fresh.slice(0, count)
    if (count === 0) return changed
    this.drawn += count
    this.lowerReferenceErrors(changed, y0, y1, x0, x1)
    return changed
  }

  private applyErase(pixels: ArrayLike<number>): Int32Array {
    const { width, ink, refDist, rowBand, colBand, cellMaxD, drawHist } = this
    this.checkPixels(pixels)
    const gone = this.pixelList(pixels.length)
    let count = 0, y0 = this.height, y1 = -1, x0 = width, x1 = -1
    let staleCells = 0n
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      if (ink[p] !== 0) continue
      ink[p] = FAR
      gone[count++] = p
      const e = refDist[p]
      drawHist.remove(e)
      const y = (p / width) | 0, x = p - y * width
      const c = rowBand[y] * GRID + colBand[x]
      if (e === cellMaxD[c]) staleCells |= 1n << BigInt(c)
      if (y < y0) y0 = y
      if (y > y1) y1 = y
      if (x < x0) x0 = x
      if (x > x1) x1 = x
    }
    const changed = gone.slice(0, count)
    if (count === 0) return changed
    this.drawn -= count
    for (let c = 0; staleCells !== 0n; c++, staleCells >>= 1n) if (staleCells & 1n) this.rescanDrawingCell(c)
    if (this.drawn === 0) this.forgetReferenceErrors()
    else this.raiseReferenceErrors(changed, y0, y1, x0, x1)
    return changed
  }

  /** The largest e(d) among the drawing pixels of cell c, by scanning the cell. */
  private rescanDrawingCell(c: number): void {
    const i = (c / GRID) | 0, j = c % GRID
    const ya = this.rowStart[i], yb = this.rowStart[i + 1], xa = this.colStart[j], xb = this.colStart[j + 1]
    const { width, ink, refDist } = this
    let m = 0
    for (let y = ya; y < yb; y++) {
      for (let p = y * width + xa, end = y * width + xb; p < end; p++) {
        if (ink[p] === 0 && refDist[p] > m) m = refDist[p]
      }
    }
    this.cellMaxD[c] = m
    this.counters.pixelsVisited += (yb - ya) * (xb - xa)
  }

  private forgetReferenceErrors(): void {
    this.refErr.fill(FAR)
    this.blockMax.fill(FAR)
    for (let c = 0; c < CELLS; c++) this.cellMaxR[c] = this.cellBlockStart[c + 1] > this.cellBlockStart[c] ? FAR : 0
    this.refHist.clear()
  }

  /** A distance transform of `pixels` over their bounding box, in the shared scratch buffer. */
  private windowDistances(pixels: Int32Array, y0: number, y1: number, x0: number, x1: number): Uint16Array {
    const ww = x1 - x0 + 1, wh = y1 - y0 + 1, area = ww * wh
    if (this.scratch.length < area) {
      const grown = new Uint16Array(Math.max(area, Math.min(this.scratch.length * 2, KEEP_SCRATCH)))
      if (grown.length <= KEEP_SCRATCH) this.scratch = grown
      else return this.fillWindow(grown, pixels, y0, x0, ww, wh)
    }
    return this.fillWindow(this.scratch, pixels, y0, x0, ww, wh)
  }

  private fillWindow(dt: Uint16Array, pixels: Int32Array, y0: number, x0: number, ww: number, wh: number): Uint16Array {
    const { width } = this
    dt.fill(FAR, 0, ww * wh)
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      const y = (p / width) | 0
      dt[(y - y0) * ww + (p - y * width - x0)] = 0
    }
    distanceTransform(dt, ww, wh)
    this.counters.pixelsVisited += ww * wh
    return dt
  }

  /** After adding `fresh` (bounding box y0..y1, x0..x1): e(r) = min(e(r), dist(r, fresh)). */
  private lowerReferenceErrors(fresh: Int32Array, y0: number, y1: number, x0: number, x1: number): void {
    const dt = this.windowDistances(fresh, y0, y1, x0, x1)
    const ww = x1 - x0 + 1
    const { refYX, refErr, blockStart, blockY0, blockY1, blockX0, blockX1, blockMax, refHist, counters } = this
    const { fine, coarse } = refHist
    let sum = refHist.sum, tests = 0, changes = 0, examined = 0
    for (let c = 0; c < CELLS; c++) {
      const cellMax = this.cellMaxR[c]
      const bFrom = this.cellBlockStart[c], bTo = this.cellBlockStart[c + 1]
      if (bFrom === bTo) continue
      // gap(cell box, S's box) >= the cell's largest error: nothing in the cell can improve.
      const cy0 = this.cellY0[c], cy1 = this.cellY1[c], cx0 = this.cellX0[c], cx1 = this.cellX1[c]
      const cellGap = (cy0 > y1 ? cy0 - y1 : y0 > cy1 ? y0 - cy1 : 0) + (cx0 > x1 ? cx0 - x1 : x0 > cx1 ? x0 - cx1 : 0)
      if (cellGap >= cellMax) continue
      let cellChanged = false
      for (let b = bFrom; b < bTo; b++) {
        examined++
        const oldMax = blockMax[b]
        const by0 = blockY0[b], by1 = blockY1[b], bx0 = blockX0[b], bx1 = blockX1[b]
        if ((by0 > y1 ? by0 - y1 : y0 > by1 ? y0 - by1 : 0) + (bx0 > x1 ? bx0 - x1 : x0 > bx1 ? x0 - bx1 : 0) >= oldMax) continue
        let newMax = 0
        const from = blockStart[b], to = blockStart[b + 1]
        tests += to - from
        for (let i = from; i < to; i++) {
          // dist(r, S) = |r - clamp(r)| + dt[clamp(r)], the clamp to S's box.
          const v = refYX[i]
          const ry = v >> YX_SHIFT, rx = v & YX_MASK
          let d = 0, cy = ry, cx = rx
          if (ry < y0) {
            cy = y0
            d = y0 - ry
          } else if (ry > y1) {
            cy = y1
            d = ry - y1
          }
          if (rx < x0) {
            cx = x0
            d += x0 - rx
          } else if (rx > x1) {
            cx = x1
            d += rx - x1
          }
          d += dt[(cy - y0) * ww + (cx - x0)]
          let e = refErr[i]
          if (d < e) {
            // The histogram update, inlined: this is the hottest line of the evaluator.
            fine[d]++
            coarse[d >> HIST_SHIFT]++
            if (e === FAR) {
              refHist.count++
              sum += d
            } else {
              fine[e]--
              coarse[e >> HIST_SHIFT]--
              sum += d - e
            }
            refErr[i] = e = d
            changes++
          }
          if (e > newMax) newMax = e
        }
        if (newMax !== oldMax) {
          blockMax[b] = newMax
          cellChanged = true
        }
      }
      if (cellChanged) {
        let m = 0
        for (let b = bFrom; b < bTo; b++) if (blockMax[b] > m) m = blockMax[b]
        this.cellMaxR[c] = m
      }
    }
    refHist.sum = sum
    counters.referenceTests += tests
    counters.referenceChanges += changes
    counters.blocksExamined += examined
  }

  /** After erasing `gone` (bounding box y0..y1, x0..x1) from a drawing that is still not empty. */
  private raiseReferenceErrors(gone: Int32Array, y0: number, y1: number, x0: number, x1: number): void {
    const dt = this.windowDistances(gone, y0, y1, x0, x1)
    const ww = x1 - x0 + 1
    const { refYX, refErr, blockStart, blockY0, blockY1, blockX0, blockX1, blockMax, counters } = this
    // Reference pixels that had an erased pixel among their nearest: their error may rise.
    const affected: number[] = []
    const affectedBlock: number[] = []
    for (let c = 0; c < CELLS; c++) {
      const bFrom = this.cellBlockStart[c], bTo = this.cellBlockStart[c + 1]
      if (bFrom === bTo) continue
      if (gap(this.cellY0[c], this.cellY1[c], this.cellX0[c], this.cellX1[c], y0, y1, x0, x1) > this.cellMaxR[c]) continue
      for (let b = bFrom; b < bTo; b++) {
        counters.blocksExamined++
        if (gap(blockY0[b], blockY1[b], blockX0[b], blockX1[b], y0, y1, x0, x1) > blockMax[b]) continue
        const from = blockStart[b], to = blockStart[b + 1]
        counters.referenceTests += to - from
        for (let i = from; i < to; i++) {
          const ry = refYX[i] >> YX_SHIFT, rx = refYX[i] & YX_MASK
          const cy = ry < y0 ? y0 : ry > y1 ? y1 : ry
          const cx = rx < x0 ? x0 : rx > x1 ? x1 : rx
          const d = Math.abs(ry - cy) + Math.abs(rx - cx) + dt[(cy - y0) * ww + (cx - x0)]
          if (d === refErr[i]) {
            affected.push(i)
            affectedBlock.push(b)
          }
        }
      }
    }
    if (affected.length === 0) return
    const fresh = this.nearestInk(affected)
    const { refHist } = this
    for (let k = 0; k < affected.length; k++) {
      const i = affected[k], e = fresh[k], old = refErr[i]
      if (e === old) continue
      this.counters.referenceChanges++
      refHist.remove(old)
      refHist.add(e)
      refErr[i] = e
      // Errors only rise here, so maxima only grow.
      const b = affectedBlock[k]
      if (e > blockMax[b]) blockMax[b] = e
      const c = this.rowBand[refYX[i] >> YX_SHIFT] * GRID + this.colBand[refYX[i] & YX_MASK]
      if (e > this.cellMaxR[c]) this.cellMaxR[c] = e
    }
  }

  /**
   * dist(r, D) for the given reference pixels (grouped by grid cell), from distance transforms
   * of the ink over a window around each group. A value v is exact when no ink outside the
   * window could be nearer: v <= the distance to the nearest pixel beyond a window side that is
   * not the frame's edge. Unresolved groups retry with twice the margin; when the windows would
   * cover more than the frame, one transform of the whole frame answers everything left.
   */
  private nearestInk(refs: number[]): Int32Array {
    const { width, height, refYX, refErr, rowBand, colBand } = this
    const out = new Int32Array(refs.length)
    const members: number[][] = []
    for (let k = 0; k < refs.length; k++) {
      const c = rowBand[refYX[refs[k]] >> YX_SHIFT] * GRID + colBand[refYX[refs[k]] & YX_MASK]
      ;(members[c] ??= []).push(k)
    }
    let groups: { ks: number[]; margin: number; y0: number; y1: number; x0: number; x1: number }[] = []
    for (const ks of members) {
      if (!ks) continue
      let y0 = height, y1 = -1, x0 = width, x1 = -1, worst = 0
      for (const k of ks) {
        const i = refs[k], y = refYX[i] >> YX_SHIFT, x = refYX[i] & YX_MASK
        if (y < y0) y0 = y
        if (y > y1) y1 = y
        if (x < x0) x0 = x
        if (x > x1) x1 = x
        if (refErr[i] > worst) worst = refErr[i]
      }
      // The new distance is at least the old one; start just beyond it.
      groups.push({ ks, margin: worst + 8, y0, y1, x0, x1 })
    }
    while (groups.length > 0) {
      let area = 0
      for (const g of groups) {
        area += (Math.min(height - 1, g.y1 + g.margin) - Math.max(0, g.y0 - g.margin) + 1) * (Math.min(width - 1, g.x1 + g.margin) - Math.max(0, g.x0 - g.margin) + 1)
      }
      if (area >= width * height) {
        const all: number[] = []
        for (const g of groups) all.push(...g.ks)
        groups = [{ ks: all, margin: width + height, y0: 0, y1: height - 1, x0: 0, x1: width - 1 }]
      }
      const next: typeof groups = []
      for (const g of groups) {
        const unresolved = this.resolveInWindow(refs, g.ks, out, Math.max(0, g.y0 - g.margin), Math.min(height - 1, g.y1 + g.margin), Math.max(0, g.x0 - g.margin), Math.min(width - 1, g.x1 + g.margin))
        if (unresolved.length > 0) next.push({ ...g, ks: unresolved, margin: g.margin * 2 })
      }
      groups = next
    }
    return out
  }

  /** Distances to ink for refs[ks] from a transform over the window; returns the ks it cannot vouch for. */
  private resolveInWindow(refs: number[], ks: number[], out: Int32Array, wy0: number, wy1: number, wx0: number, wx1: number): number[] {
    const { width, height, refYX, ink } = this
    const ww = wx1 - wx0 + 1, wh = wy1 - wy0 + 1
    const dt = ww * wh <= this.scratch.length ? this.scratch : ww * wh <= KEEP_SCRATCH ? (this.scratch = new Uint16Array(KEEP_SCRATCH)) : new Uint16Array(ww * wh)
    for (let y = wy0; y <= wy1; y++) dt.set(ink.subarray(y * width + wx0, y * width + wx0 + ww), (y - wy0) * ww)
    distanceTransform(dt, ww, wh)
    this.counters.pixelsVisited += ww * wh
    const unresolved: number[] = []
    for (const k of ks) {
      const y = refYX[refs[k]] >> YX_SHIFT, x = refYX[refs[k]] & YX_MASK
      const v = dt[(y - wy0) * ww + (x - wx0)]
      let beyond = FAR
      if (wy0 > 0) beyond = Math.min(beyond, y - wy0 + 1)
      if (wy1 < height - 1) beyond = Math.min(beyond, wy1 - y + 1)
      if (wx0 > 0) beyond = Math.min(beyond, x - wx0 + 1)
      if (wx1 < width - 1) beyond = Math.min(beyond, wx1 - x + 1)
      if (v <= beyond) out[k] = v
      else unresolved.push(k)
    }
    return unresolved
  }

  private maxBandSize(starts: Int32Array): number {
    let m = 0
    for (let i = 0; i < GRID; i++) m = Math.max(m, starts[i + 1] - starts[i])
    return m
  }
}

/** L1 gap between two boxes (0 when they overlap): a lower bound on any distance between them. */
function gap(ay0: number, ay1: number, ax0: number, ax1: number, by0: number, by1: number, bx0: number, bx1: number): number {
  const dy = ay0 > by1 ? ay0 - by1 : by0 > ay1 ? by0 - ay1 : 0
  const dx = ax0 > bx1 ? ax0 - bx1 : bx0 > ax1 ? bx0 - ax1 : 0
  return dy + dx
}
