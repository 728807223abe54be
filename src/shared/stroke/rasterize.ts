// Stroke outline -> the frame pixels it covers: what the evaluator counts as drawing ink.
// Pixel (x, y) is covered when its centre (x + 0.5, y + 0.5) is inside the outline by the nonzero
// winding rule (the rule the canvas fills with). Pure and deterministic: same stroke, same pixels.
import type { FrameSize } from '../contract/app.ts'
import type { Stroke } from './types.ts'
import { strokeOutline, type Outline } from './outline.ts'

/**
 * Where edge (x0, y0) -> (x1, y1) crosses the horizontal line y = yc. Shared with the per-pixel
 * reference test, so both decide boundary cases with the same floating-point expression.
 */
export function crossingX(x0: number, y0: number, x1: number, y1: number, yc: number): number {
  return x0 + ((yc - y0) * (x1 - x0)) / (y1 - y0)
}

/** Clamp a coordinate to a range that keeps every comparison with pixel centres in 0..size. */
function clampTo(v: number, size: number): number {
  return v < -1 ? -1 : v > size + 1 ? size + 1 : v
}

/** The first row (or column) whose centre c + 0.5 is at or after v, within 0..size. */
function firstCentreAtOrAfter(v: number, size: number): number {
  // clampTo keeps the value within -2 .. size + 1, so the integer conversion is exact.
  const c = Math.ceil(clampTo(v, size) - 0.5) | 0
  return c < 0 ? 0 : c > size ? size : c
}

/**
 * Machine-independent work of the fill, added up over calls (tests check it stays linear in
 * what a stroke crosses; the old per-row insertion sort was quadratic in it).
 */
export interface RasterCounters {
  /** Edges that cross at least one row centre line. */
  edges: number
  /** (edge, row) crossings computed: each edge once per row it spans. */
  crossings: number
  /** Cells of the per-row winding buffers summed and cleared. */
  cells: number
}

export function newRasterCounters(): RasterCounters {
  return { edges: 0, crossings: 0, cells: 0 }
}

/** The active edge list, struct of arrays: x0, y0, x1 - x0, y1 - y0 and direction per edge. */
interface ActiveEdges {
  x0: Float64Array
  y0: Float64Array
  dx: Float64Array
  dy: Float64Array
  dir: Int8Array
}

/**
 * The hot loop, a function of its own so the engine optimises it alone: each active edge adds
 * its direction at the first column whose centre is at or after its crossing with y = yc.
 * span receives the smallest and largest column touched.
 */
function accumulateRow(
  edges: ActiveEdges,
  count: number,
  yc: number,
  width: number,
  winding: Int32Array,
  span: Int32Array
): void {
  const { x0, y0, dx, dy, dir } = edges
  let minCol = width
  let maxCol = 0
  for (let k = 0; k < count; k++) {
    // crossingX(x0, y0, x1, y1, yc), with x1 - x0 and y1 - y0 computed once per edge.
    const col = firstCentreAtOrAfter(x0[k] + ((yc - y0[k]) * dx[k]) / dy[k], width)
    winding[col] += dir[k]
    if (col < minCol) minCol = col
    if (col > maxCol) maxCol = col
  }
  span[0] = minCol
  span[1] = maxCol
}

/** A growable list of pixel indices. */
class PixelList {
  data = new Int32Array(256)
  length = 0
  pushRun(start: number, count: number): void {
    if (this.length + count > this.data.length) {
      let size = this.data.length * 2
      while (size < this.length + count) size *= 2
      const next = new Int32Array(size)
      next.set(this.data.subarray(0, this.length))
      this.data = next
    }
    for (let i = 0; i < count; i++) this.data[this.length + i] = start + i
    this.length += count
  }
}

/**
 * The frame pixels whose centres lie inside a closed polygon (nonzero rule), clipped to the frame:
 * ascending, unique, row-major y * width + x.
 *
 * Scanline fill with an edge table and an active edge list, and no sorting: edge (x0, y0) ->
 * (x1, y1) crosses the centre line yc = r + 0.5 of row r when min(y0, y1) <= yc < max(y0, y1)
 * (half-open, so a vertex on a centre line counts once). Per row, each active edge adds its
 * direction (+1 down, -1 up) at the first column whose centre is at or after its crossing; the
 * running sum along the row is then the winding number of every pixel centre, because a centre
 * px is inside exactly when the crossings at or left of it wind nonzero (the row's total being
 * zero). This is the same decision, with the same floating-point expressions, as sorting the
 * crossings and summing between neighbours, at a cost of O(crossings + edges + covered width)
 * instead of a sort per row.
 */
export function rasterizePolygon(polygon: Outline, frame: FrameSize, counters?: RasterCounters): Int32Array {
  const { width, height } = frame
  const n = polygon.length
  if (n < 3 || width <= 0 || height <= 0) return new Int32Array(0)
  for (const [x, y] of polygon) {
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new RangeError('a stroke outline point is not a finite number')
  }

  // The edge table: every edge that crosses a row centre, with the rows [lo, hi) it crosses.
  const ex0 = new Float64Array(n)
  const ey0 = new Float64Array(n)
  const ex1 = new Float64Array(n)
  const ey1 = new Float64Array(n)
  const dirs = new Int8Array(n)
  const los = new Int32Array(n)
  const his = new Int32Array(n)
  let edges = 0
  let firstRow = height
  let lastRow = 0
  for (let i = 0; i < n; i++) {
    const [x0, y0] = polygon[i]
    const [x1, y1] = polygon[i + 1 === n ? 0 : i + 1]
    if (y0 === y1) continue
    const lo = firstCentreAtOrAfter(Math.min(y0, y1), height)
    const hi = firstCentreAtOrAfter(Math.max(y0, y1), height)
    if (lo >= hi) continue
    ex0[edges] = x0
    ey0[edges] = y0
    ex1[edges] = x1
    ey1[edges] = y1
    dirs[edges] = y1 > y0 ? 1 : -1
    los[edges] = lo
    his[edges] = hi
    if (lo < firstRow) firstRow = lo
    if (hi > lastRow) lastRow = hi
    edges++
  }
  if (edges === 0) return new Int32Array(0)

  // Edges bucketed by their first row (a counting sort): edges starting at row r are
  // byStart[starts[r - firstRow] .. starts[r - firstRow + 1]).
  const rows = lastRow - firstRow
  const starts = new Int32Array(rows + 1)
  for (let e = 0; e < edges; e++) starts[los[e] - firstRow + 1]++
  for (let r = 0; r < rows; r++) starts[r + 1] += starts[r]
  // ends[r - firstRow]: how many edges cross row r last.
  const ends = new Int32Array(rows)
  for (let e = 0; e < edges; e++) ends[his[e] - 1 - firstRow]++
  const byStart = new Int32Array(edges)
  const next = starts.slice(0, rows)
  for (let e = 0; e < edges; e++) byStart[next[los[e] - firstRow]++] = e

  // The active edges, copied out of the table in the order they become active and compacted as
  // they end, so each row reads them front to back.
  const ax0 = new Float64Array(edges)
  const ay0 = new Float64Array(edges)
  const adx = new Float64Array(edges)
  const ady = new Float64Array(edges)
  const adir = new Int8Array(edges)
  const ahi = new Int32Array(edges)
  const edgesOf: ActiveEdges = { x0: ax0, y0: ay0, dx: adx, dy: ady, dir: adir }
  const span = new Int32Array(2)
  let activeCount = 0
  // winding[c]: the directions of this row's crossings whose first centre at or after them is c.
  const winding = new Int32Array(width + 1)
  const out = new PixelList()
  let crossings = 0
  let cells = 0
  for (let r = firstRow; r < lastRow; r++) {
    for (let k = starts[r - firstRow]; k < starts[r - firstRow + 1]; k++) {
      const e = byStart[k]
      ax0[activeCount] = ex0[e]
      ay0[activeCount] = ey0[e]
      adx[activeCount] = ex1[e] - ex0[e]
      ady[activeCount] = ey1[e] - ey0[e]
      adir[activeCount] = dirs[e]
      ahi[activeCount] = his[e]
      activeCount++
    }
    if (activeCount === 0) continue
    // The row's crossings into winding[], and the span of columns they fell in.
    accumulateRow(edgesOf, activeCount, r + 0.5, width, winding, span)
    const minCol = span[0]
    const maxCol = span[1]
    // Drop the edges whose last row this was (only on rows where some end: no copying otherwise).
    let kept = activeCount
    if (ends[r - firstRow] > 0) {
      kept = 0
      for (let k = 0; k < activeCount; k++) {
        if (ahi[k] > r + 1) {
          ax0[kept] = ax0[k]
          ay0[kept] = ay0[k]
          adx[kept] = adx[k]
          ady[kept] = ady[k]
          adir[kept] = adir[k]
          ahi[kept] = ahi[k]
          kept++
        }
      }
    }
    crossings += activeCount
    activeCount = kept
    // Sum along the row: pixels minCol .. maxCol - 1 can be inside (the sum is 0 from maxCol on).
    const row = r * width
    let sum = 0
    let runStart = -1
    for (let c = minCol; c < maxCol; c++) {
      sum += winding[c]
      winding[c] = 0
      if (sum !== 0) {
        if (runStart < 0) runStart = c
      } else if (runStart >= 0) {
        out.pushRun(row + runStart, c - runStart)
        runStart = -1
      }
    }
    if (runStart >= 0) out.pushRun(row + runStart, maxCol - runStart)
    winding[maxCol] = 0
    cells += maxCol - minCol + 1
  }
  if (counters) {
    counters.edges += edges
    counters.crossings += crossings
    counters.cells += cells
  }
  return out.data.slice(0, out.length)
}

/** The frame pixels a stroke covers: its shared outline, filled as the canvas fills it. */
export function rasterizeStroke(stroke: Stroke, frame: FrameSize, counters?: RasterCounters): Int32Array {
  return rasterizePolygon(strokeOutline(stroke), frame, counters)
}
