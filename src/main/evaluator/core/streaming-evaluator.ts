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
//
// All arrays live in one WebAssembly memory, laid out by layout.ts (core.ts makes it); the add path
// and every distance transform run in the kernels (kernels/, AssemblyScript), the rest here.

import { StudioError } from '#shared/contract/errors.ts'
import { gridCellOf, gridCellStarts } from '#shared/grid.ts'
import { GRID, type Evaluation, type GridCell } from '#shared/contract/scores.ts'
import type { ErrorField } from './error-field.ts'
import { EvaluatorCore } from './core.ts'
import { checkFrame, defaultTolerance } from './frame.ts'
import { ErrorHistogram } from './histogram.ts'
import { CELLS, FAR, YX_MASK, YX_SHIFT } from './layout.ts'

/** Side of a reference block in pixels (blocks never straddle grid cells). */
const BLOCK = 8
/** Pixels handed to one addPixels call (longer edits go in chunks). */
const LIST_LENGTH = 16384

export type EditKind = 'add' | 'erase'

/** Stands in for the core of a disposed evaluator: every access fails loudly. */
const DISPOSED = new Proxy({} as EvaluatorCore, {
  get() {
    throw new Error('this evaluator was disposed')
  }
})

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
  /** Bytes of the evaluator's memory (every array it keeps). */
  readonly memoryBytes: number

  private core: EvaluatorCore
  private readonly refHist: ErrorHistogram
  private readonly drawHist: ErrorHistogram
  private readonly rowStart: Int32Array
  private readonly colStart: Int32Array
  private readonly largestErrors = new Int32Array(10)
  private drawn = 0
  private history: HistoryEntry[] = []
  private cursor = 0

  /** Build from the reference ink mask (width * height bytes, non-zero = ink). */
  constructor(referenceMask: Uint8Array, width: number, height: number, options: EvaluatorOptions = {}) {
    checkFrame(width, height)
    const n = width * height
    if (referenceMask.length !== n) {
      throw new StudioError(
        'invalid-input',
        `the reference mask has ${referenceMask.length} pixels; a ${width} x ${height} frame has ${n}`
      )
    }
    this.width = width
    this.height = height
    this.side = Math.max(width, height)
    this.tolerancePx = options.tolerancePx ?? defaultTolerance(this.side)
    if (!Number.isInteger(this.tolerancePx) || this.tolerancePx < 0) {
      throw new StudioError(
        'invalid-input',
        `the tolerance must be a whole number of pixels >= 0, not ${this.tolerancePx}`
      )
    }

    const inkPixels = inkIndices(referenceMask)
    const count = inkPixels.length
    if (count === 0)
      throw new StudioError('no-ink', 'the reference has no ink; lower the threshold or pick another image')
    this.referencePixelCount = count

    // Group them by (cell, block within cell) with a counting sort; a key is a row part plus a
    // column part.
    const rowCell = gridCellOf(height)
    const colCell = gridCellOf(width)
    this.rowStart = Int32Array.from(gridCellStarts(height))
    this.colStart = Int32Array.from(gridCellStarts(width))
    const blocksDown = Math.ceil(maxBandSize(this.rowStart) / BLOCK)
    const blocksAcross = Math.ceil(maxBandSize(this.colStart) / BLOCK)
    const perCell = blocksDown * blocksAcross
    const rowKey = new Int32Array(height)
    for (let y = 0; y < height; y++)
      rowKey[y] = rowCell[y] * GRID * perCell + (((y - this.rowStart[rowCell[y]]) / BLOCK) | 0) * blocksAcross
    const colKey = new Int32Array(width)
    for (let x = 0; x < width; x++) colKey[x] = colCell[x] * perCell + (((x - this.colStart[colCell[x]]) / BLOCK) | 0)
    const keys = new Int32Array(count)
    const keyCount = new Int32Array(CELLS * perCell + 1)
    for (let k = 0; k < count; k++) {
      const p = inkPixels[k],
        y = (p / width) | 0
      const key = rowKey[y] + colKey[p - y * width]
      keys[k] = key
      keyCount[key + 1]++
    }
    let blocks = 0
    for (let k = 1; k < keyCount.length; k++) {
      if (keyCount[k] > 0) blocks++
      keyCount[k] += keyCount[k - 1]
    }

    const core = EvaluatorCore.acquire({
      width,
      height,
      refs: count,
      blocks,
      histLength: width + height + 1,
      listLength: LIST_LENGTH
    })
    this.core = core
    this.memoryBytes = core.bytes
    const arrays = core.arrays
    arrays.rowCell.set(rowCell)
    arrays.colCell.set(colCell)

    // dist(p, R) for every frame pixel.
    arrays.refDist.fill(FAR)
    for (let k = 0; k < count; k++) arrays.refDist[inkPixels[k]] = 0
    core.fn.distanceTransform(core.offsets.refDist, width, height)

    const { refYX, blockStart, blockY0, blockY1, blockX0, blockX1, cellBlockStart, cellY0, cellY1, cellX0, cellX1 } =
      arrays
    const fill = keyCount.slice(0, keyCount.length - 1)
    for (let k = 0; k < count; k++) {
      const p = inkPixels[k],
        y = (p / width) | 0
      refYX[fill[keys[k]]++] = (y << YX_SHIFT) | (p - y * width)
    }
    cellY0.fill(height)
    cellY1.fill(-1)
    cellX0.fill(width)
    cellX1.fill(-1)
    let b = 0
    for (let k = 0; k < keyCount.length - 1; k++) {
      const from = keyCount[k],
        to = keyCount[k + 1]
      if (from === to) continue
      const cell = (k / perCell) | 0
      let y0 = height,
        y1 = -1,
        x0 = width,
        x1 = -1
      for (let i = from; i < to; i++) {
        const y = refYX[i] >> YX_SHIFT,
          x = refYX[i] & YX_MASK
        if (y < y0) y0 = y
        if (y > y1) y1 = y
        if (x < x0) x0 = x
        if (x > x1) x1 = x
      }
      blockStart[b] = from
      blockY0[b] = y0
      blockY1[b] = y1
      blockX0[b] = x0
      blockX1[b] = x1
      cellBlockStart[cell + 1] = b + 1
      if (y0 < cellY0[cell]) cellY0[cell] = y0
      if (y1 > cellY1[cell]) cellY1[cell] = y1
      if (x0 < cellX0[cell]) cellX0[cell] = x0
      if (x1 > cellX1[cell]) cellX1[cell] = x1
      b++
    }
    blockStart[blocks] = count
    // Cells without blocks start where the previous cell ended.
    for (let c = 1; c <= CELLS; c++)
      if (cellBlockStart[c] < cellBlockStart[c - 1]) cellBlockStart[c] = cellBlockStart[c - 1]
    this.refHist = new ErrorHistogram(arrays.refHist, arrays.refCount, arrays.refSum)
    this.drawHist = new ErrorHistogram(arrays.drawHist, arrays.drawCount, arrays.drawSum)
    this.forgetReferenceErrors()
  }

  /**
   * Done with this evaluator: its memory goes back for the next one of the same sizes. Any use
   * after this is a bug and throws.
   */
  dispose(): void {
    const core = this.core
    this.core = DISPOSED
    if (core !== DISPOSED) core.release()
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

  get counters(): EvaluatorCounters {
    const { visited, tests, examined, changes } = this.core.arrays
    return {
      pixelsVisited: visited[0],
      referenceTests: tests[0],
      blocksExamined: examined[0],
      referenceChanges: changes[0]
    }
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
    const ink = this.core.arrays.ink
    for (let p = 0, k = 0; k < all.length; p++) if (ink[p] === 1) all[k++] = p
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
    this.core.arrays.ink.fill(0)
    this.drawHist.clear()
    this.core.arrays.cellMaxD.fill(0)
    this.drawn = 0
    this.forgetReferenceErrors()
    this.history = []
    this.cursor = 0
  }

  /** Is pixel p ink in the drawing? */
  isInk(p: number): boolean {
    return this.core.arrays.ink[p] === 1
  }

  /**
   * The headline score alone (what the anchor computes per stroke), without building the rest
   * of the evaluation; null while the drawing is empty.
   */
  top5Error(): number | null {
    if (this.drawn === 0) return null
    this.core.fn.rankCells()
    const { cellValue: values, worstCells: top } = this.core.arrays
    return ((values[top[0]] + values[top[1]] + values[top[2]] + values[top[3]] + values[top[4]]) / 5 / this.side) * 100
  }

  evaluation(): Evaluation {
    if (this.drawn === 0)
      return { status: 'empty', reason: 'no drawing yet', referencePixels: this.referencePixelCount, drawingPixels: 0 }
    const { cellMaxD, cellMaxR, cellValue: values, worstCells: worst } = this.core.arrays
    const side = this.side
    this.core.fn.rankCells()
    let maxD = 0,
      maxR = 0
    for (let c = 0; c < CELLS; c++) {
      if (cellMaxD[c] > maxD) maxD = cellMaxD[c]
      if (cellMaxR[c] > maxR) maxR = cellMaxR[c]
    }
    const grid: number[][] = []
    for (let c = 0; c < CELLS; c += GRID) {
      grid.push([
        values[c],
        values[c + 1],
        values[c + 2],
        values[c + 3],
        values[c + 4],
        values[c + 5],
        values[c + 6],
        values[c + 7],
        values[c + 8],
        values[c + 9]
      ])
    }
    const worstCells: GridCell[] = []
    let top5Sum = 0
    for (let k = 0; k < 5; k++) {
      const c = worst[k]
      top5Sum += values[c]
      worstCells.push({ row: (c / GRID) | 0, col: c % GRID, value: values[c] })
    }

    // The five largest errors of D and R together (the largest cell maxima bound them).
    const largest = this.largestErrors
    const nd = this.drawHist.largest(5, largest, maxD)
    const nr = this.refHist.largest(5, largest.subarray(5), maxR)
    let i = 0,
      j = 5,
      topSum = 0
    for (let k = 0; k < 5 && (i < nd || j < 5 + nr); k++) {
      if (j >= 5 + nr || (i < nd && largest[i] >= largest[j])) topSum += largest[i++]
      else topSum += largest[j++]
    }

    const nD = this.drawn,
      nR = this.referencePixelCount
    const precision = this.drawHist.countAtMost(this.tolerancePx) / nD
    const recall = this.refHist.countAtMost(this.tolerancePx) / nR
    return {
      status: 'scored',
      top5Error: (top5Sum / 5 / side) * 100,
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
    const { refYX, refErr, ink, refDist } = this.core.arrays
    const n = this.referencePixelCount
    const pixelOf = new Int32Array(n)
    const order = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      order[i] = i
      pixelOf[i] = (refYX[i] >> YX_SHIFT) * width + (refYX[i] & YX_MASK)
    }
    order.sort((a, b) => pixelOf[a] - pixelOf[b])
    const referencePixels = new Int32Array(n)
    const referenceErrors = new Int32Array(n)
    for (let k = 0; k < n; k++) {
      referencePixels[k] = pixelOf[order[k]]
      referenceErrors[k] = refErr[order[k]]
    }
    const drawingPixels = new Int32Array(this.drawn)
    const drawingErrors = new Int32Array(this.drawn)
    for (let p = 0, k = 0; p < ink.length; p++) {
      if (ink[p] === 1) {
        drawingPixels[k] = p
        drawingErrors[k++] = refDist[p]
      }
    }
    return { width, height, referencePixels, referenceErrors, drawingPixels, drawingErrors, evaluation }
  }

  // --- edits -------------------------------------------------------------------------------

  private record(kind: EditKind, pixels: Int32Array): void {
    // A new edit drops the redo tail; a no-op edit is still an undo step (session-log rules).
    // Only when there is one: setting an array's length costs a runtime call (~0.2 us a stroke).
    if (this.history.length > this.cursor) this.history.length = this.cursor
    this.history.push({ kind, pixels })
    this.cursor++
  }

  /** Every pixel is checked before any is applied, so a bad list changes nothing. */
  private checkPixels(pixels: ArrayLike<number>): void {
    const n = this.core.arrays.ink.length
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      if (!(p >= 0 && p < n && Math.floor(p) === p)) {
        throw new StudioError('invalid-input', `pixel ${p} is outside the ${this.width} x ${this.height} frame`)
      }
    }
  }

  /** In chunks of the core's list: ink the new pixels, then lower the reference errors. */
  private applyAdd(pixels: ArrayLike<number>): Int32Array {
    this.checkPixels(pixels)
    const { fn } = this.core
    const { list } = this.core.arrays
    const chunks: Int32Array[] = []
    for (let from = 0; from < pixels.length; from += LIST_LENGTH) {
      const to = Math.min(pixels.length, from + LIST_LENGTH)
      if (from === 0 && to === pixels.length) list.set(pixels)
      else for (let k = from; k < to; k++) list[k - from] = pixels[k]
      const count = fn.addPixels(to - from)
      if (count === 0) continue
      chunks.push(list.slice(0, count))
      this.drawn += count
    }
    if (chunks.length === 1) return chunks[0]
    const changed = new Int32Array(chunks.reduce((n, c) => n + c.length, 0))
    let at0 = 0
    for (const c of chunks) {
      changed.set(c, at0)
      at0 += c.length
    }
    return changed
  }

  private applyErase(pixels: ArrayLike<number>): Int32Array {
    this.checkPixels(pixels)
    const { width } = this
    const { ink, refDist, rowCell, colCell, cellMaxD } = this.core.arrays
    const gone = new Int32Array(pixels.length)
    let count = 0,
      y0 = this.height,
      y1 = -1,
      x0 = width,
      x1 = -1
    let staleCells = 0n
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      if (ink[p] !== 1) continue
      ink[p] = 0
      gone[count++] = p
      const e = refDist[p]
      this.drawHist.remove(e)
      const y = (p / width) | 0,
        x = p - y * width
      const c = rowCell[y] * GRID + colCell[x]
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
    const i = (c / GRID) | 0,
      j = c % GRID
    const ya = this.rowStart[i],
      yb = this.rowStart[i + 1],
      xa = this.colStart[j],
      xb = this.colStart[j + 1]
    const { width } = this
    const { ink, refDist, cellMaxD, visited } = this.core.arrays
    let m = 0
    for (let y = ya; y < yb; y++) {
      for (let p = y * width + xa, end = y * width + xb; p < end; p++) {
        if (ink[p] === 1 && refDist[p] > m) m = refDist[p]
      }
    }
    cellMaxD[c] = m
    visited[0] += (yb - ya) * (xb - xa)
  }

  private forgetReferenceErrors(): void {
    const { refErr, blockMax, cellMaxR, cellBlockStart } = this.core.arrays
    refErr.fill(FAR)
    blockMax.fill(FAR)
    for (let c = 0; c < CELLS; c++) cellMaxR[c] = cellBlockStart[c + 1] > cellBlockStart[c] ? FAR : 0
    this.refHist.clear()
  }

  /** A distance transform of `pixels` over their bounding box, in the scratch window. */
  private windowDistances(pixels: Int32Array, y0: number, y1: number, x0: number, x1: number): Uint16Array {
    const { width } = this
    const { fn, offsets } = this.core
    const { scratch, visited } = this.core.arrays
    const ww = x1 - x0 + 1,
      wh = y1 - y0 + 1
    scratch.fill(FAR, 0, ww * wh)
    for (let k = 0; k < pixels.length; k++) {
      const p = pixels[k]
      const y = (p / width) | 0
      scratch[(y - y0) * ww + (p - y * width - x0)] = 0
    }
    fn.distanceTransform(offsets.scratch, ww, wh)
    visited[0] += ww * wh
    return scratch
  }

  /** After erasing `gone` (bounding box y0..y1, x0..x1) from a drawing that is still not empty. */
  private raiseReferenceErrors(gone: Int32Array, y0: number, y1: number, x0: number, x1: number): void {
    const dt = this.windowDistances(gone, y0, y1, x0, x1)
    const ww = x1 - x0 + 1
    const {
      refYX,
      refErr,
      blockStart,
      blockY0,
      blockY1,
      blockX0,
      blockX1,
      blockMax,
      cellBlockStart,
      cellY0,
      cellY1,
      cellX0,
      cellX1,
      cellMaxR,
      tests,
      examined,
      changes
    } = this.core.arrays
    // Reference pixels that had an erased pixel among their nearest: their error may rise.
    const affected: number[] = []
    const affectedBlock: number[] = []
    for (let c = 0; c < CELLS; c++) {
      const bFrom = cellBlockStart[c],
        bTo = cellBlockStart[c + 1]
      if (bFrom === bTo) continue
      if (gap(cellY0[c], cellY1[c], cellX0[c], cellX1[c], y0, y1, x0, x1) > cellMaxR[c]) continue
      for (let b = bFrom; b < bTo; b++) {
        examined[0]++
        if (gap(blockY0[b], blockY1[b], blockX0[b], blockX1[b], y0, y1, x0, x1) > blockMax[b]) continue
        const from = blockStart[b],
          to = blockStart[b + 1]
        tests[0] += to - from
        for (let i = from; i < to; i++) {
          const ry = refYX[i] >> YX_SHIFT,
            rx = refYX[i] & YX_MASK
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
    const { rowCell, colCell } = this.core.arrays
    for (let k = 0; k < affected.length; k++) {
      const i = affected[k],
        e = fresh[k],
        old = refErr[i]
      if (e === old) continue
      changes[0]++
      this.refHist.remove(old)
      this.refHist.add(e)
      refErr[i] = e
      // Errors only rise here, so maxima only grow.
      const b = affectedBlock[k]
      if (e > blockMax[b]) blockMax[b] = e
      const c = rowCell[refYX[i] >> YX_SHIFT] * GRID + colCell[refYX[i] & YX_MASK]
      if (e > cellMaxR[c]) cellMaxR[c] = e
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
    const { width, height } = this
    const { refYX, refErr, rowCell, colCell } = this.core.arrays
    const out = new Int32Array(refs.length)
    const members: number[][] = []
    for (let k = 0; k < refs.length; k++) {
      const c = rowCell[refYX[refs[k]] >> YX_SHIFT] * GRID + colCell[refYX[refs[k]] & YX_MASK]
      ;(members[c] ??= []).push(k)
    }
    let groups: { ks: number[]; margin: number; y0: number; y1: number; x0: number; x1: number }[] = []
    for (const ks of members) {
      if (!ks) continue
      let y0 = height,
        y1 = -1,
        x0 = width,
        x1 = -1,
        worst = 0
      for (const k of ks) {
        const i = refs[k],
          y = refYX[i] >> YX_SHIFT,
          x = refYX[i] & YX_MASK
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
        area +=
          (Math.min(height - 1, g.y1 + g.margin) - Math.max(0, g.y0 - g.margin) + 1) *
          (Math.min(width - 1, g.x1 + g.margin) - Math.max(0, g.x0 - g.margin) + 1)
      }
      if (area >= width * height) {
        const all: number[] = []
        for (const g of groups) all.push(...g.ks)
        groups = [{ ks: all, margin: width + height, y0: 0, y1: height - 1, x0: 0, x1: width - 1 }]
      }
      const next: typeof groups = []
      for (const g of groups) {
        const unresolved = this.resolveInWindow(
          refs,
          g.ks,
          out,
          Math.max(0, g.y0 - g.margin),
          Math.min(height - 1, g.y1 + g.margin),
          Math.max(0, g.x0 - g.margin),
          Math.min(width - 1, g.x1 + g.margin)
        )
        if (unresolved.length > 0) next.push({ ...g, ks: unresolved, margin: g.margin * 2 })
      }
      groups = next
    }
    return out
  }

  /** Distances to ink for refs[ks] from a transform over the window; returns the ks it cannot vouch for. */
  private resolveInWindow(
    refs: number[],
    ks: number[],
    out: Int32Array,
    wy0: number,
    wy1: number,
    wx0: number,
    wx1: number
  ): number[] {
    const { height, width } = this
    const { fn, offsets } = this.core
    const { refYX, scratch, visited } = this.core.arrays
    const ww = wx1 - wx0 + 1,
      wh = wy1 - wy0 + 1
    fn.inkWindow(wy0, wx0, ww, wh)
    fn.distanceTransform(offsets.scratch, ww, wh)
    visited[0] += ww * wh
    const unresolved: number[] = []
    for (const k of ks) {
      const y = refYX[refs[k]] >> YX_SHIFT,
        x = refYX[refs[k]] & YX_MASK
      const v = scratch[(y - wy0) * ww + (x - wx0)]
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
}

/**
 * The indices of the non-zero bytes of a mask, ascending. Reads four bytes at a time where the
 * mask is aligned: a reference is mostly background, and whole zero words are skipped.
 */
function inkIndices(mask: Uint8Array): Int32Array {
  let out = new Int32Array(1024)
  let count = 0
  const push = (p: number): void => {
    if (count === out.length) {
      const grown = new Int32Array(count * 2)
      grown.set(out)
      out = grown
    }
    out[count++] = p
  }
  let p = 0
  if (mask.byteOffset % 4 === 0) {
    const words = new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2)
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue
      for (let q = w << 2, end = q + 4; q < end; q++) if (mask[q] !== 0) push(q)
    }
    p = words.length << 2
  }
  for (; p < mask.length; p++) if (mask[p] !== 0) push(p)
  return out.subarray(0, count)
}

function maxBandSize(starts: Int32Array): number {
  let m = 0
  for (let i = 0; i < GRID; i++) m = Math.max(m, starts[i + 1] - starts[i])
  return m
}

/** L1 gap between two boxes (0 when they overlap): a lower bound on any distance between them. */
function gap(
  ay0: number,
  ay1: number,
  ax0: number,
  ax1: number,
  by0: number,
  by1: number,
  bx0: number,
  bx1: number
): number {
  const dy = ay0 > by1 ? ay0 - by1 : by0 > ay1 ? by0 - ay1 : 0
  const dx = ax0 > bx1 ? ax0 - bx1 : bx0 > ax1 ? bx0 - ax1 : 0
  return dy + dx
}
