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

/**
 * The hot loop, a function of its own so the engine optimises it alone: edge (x0, y0) + (dx, dy)
 * adds its direction, in each row r of [from, to), at the first column whose centre is at or
 * after its crossing with y = r + 0.5, in the band buffer whose row `base` holds row `first`.
 * Returns the columns of its first and last crossing (the columns between are in that range:
 * the crossing moves monotonically down an edge).
 */
function crossEdge(
  x0: number,
  y0: number,
  dx: number,
  dy: number,
  from: number,
  to: number,
  first: number,
  width: number,
  band: Int32Array,
  ends: Int32Array
): void {
  const dir = dy > 0 ? 1 : -1
  const stride = width + 1
  let at = (from - first) * stride
  let col = 0
  for (let r = from; r < to; r++) {
    // crossingX(x0, y0, x1, y1, r + 0.5), with x1 - x0 and y1 - y0 computed once per edge.
    col = firstCentreAtOrAfter(x0 + ((r + 0.5 - y0) * dx) / dy, width)
    if (r === from) ends[0] = col
    band[at + col] += dir
    at += stride
  }
  ends[1] = col
}

/** Cells of the band buffer (about 128 KB): rows filled at a time, so it stays in cache. */
const BAND_CELLS = 32 * 1024

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
 * (half-open, so a vertex on a centre line counts once). In each row it crosses, an edge adds its
 * direction (+1 down, -1 up) at the first column whose centre is at or after its crossing; the
 * running sum along the row is then the winding number of every pixel centre, because a centre
 * px is inside exactly when the crossings at or left of it wind nonzero (the row's total being
 * zero). This is the same decision, with the same floating-point expressions, as sorting the
 * crossings and summing between neighbours (the fill this replaced, kept as the tests' oracle),
 * at a cost of O(crossings + edges + covered width) instead of a sort per row. Rows go a band at
 * a time, each active edge crossing all of the band's rows at once.
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
  const byStart = new Int32Array(edges)
  const next = starts.slice(0, rows)
  for (let e = 0; e < edges; e++) byStart[next[los[e] - firstRow]++] = e

  // Rows are filled a band at a time: each edge active in the band adds its crossings of the
  // band's rows (its numbers in registers, the band buffer small enough to stay in cache), then
  // each row is summed left to right. band[(r - b0) * (width + 1) + c]: the directions of row r's
  // crossings whose first centre at or after them is c.
  const stride = width + 1
  const bandRows = Math.max(1, Math.min(rows, Math.floor(BAND_CELLS / stride)))
  const band = new Int32Array(bandRows * stride)
  const active = new Int32Array(edges)
  const ends = new Int32Array(2)
  let activeCount = 0
  const out = new PixelList()
  let crossings = 0
  let cells = 0
  for (let b0 = firstRow; b0 < lastRow; b0 += bandRows) {
    const b1 = Math.min(b0 + bandRows, lastRow)
    for (let k = starts[b0 - firstRow]; k < starts[b1 - firstRow]; k++) active[activeCount++] = byStart[k]
    let minCol = width
    let maxCol = 0
    let kept = 0
    for (let k = 0; k < activeCount; k++) {
      const e = active[k]
      const from = los[e] > b0 ? los[e] : b0
      const to = his[e] < b1 ? his[e] : b1
      crossEdge(ex0[e], ey0[e], ex1[e] - ex0[e], ey1[e] - ey0[e], from, to, b0, width, band, ends)
      crossings += to - from
      const lo = ends[0] < ends[1] ? ends[0] : ends[1]
      const hi = ends[0] < ends[1] ? ends[1] : ends[0]
      if (lo < minCol) minCol = lo
      if (hi > maxCol) maxCol = hi
      if (his[e] > b1) active[kept++] = e
    }
    activeCount = kept
    // Sum each row: pixels minCol .. maxCol - 1 can be inside (the sum is 0 from maxCol on).
    for (let r = b0; r < b1; r++) {
      const at = (r - b0) * stride
      const row = r * width
      let sum = 0
      let runStart = -1
      for (let c = minCol; c < maxCol; c++) {
        sum += band[at + c]
        band[at + c] = 0
        if (sum !== 0) {
          if (runStart < 0) runStart = c
        } else if (runStart >= 0) {
          out.pushRun(row + runStart, c - runStart)
          runStart = -1
        }
      }
      if (runStart >= 0) out.pushRun(row + runStart, maxCol - runStart)
      band[at + maxCol] = 0
      if (maxCol >= minCol) cells += maxCol - minCol + 1
    }
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
