// The fill as it was before the edge-table rewrite, kept as a test oracle: every row's crossings
// bucketed, sorted (insertion sort) and summed between neighbours. Quadratic in a row's crossings,
// so only for tests; the new fill must give exactly the same pixels.
import type { FrameSize } from '#shared/contract/app.ts'
import { crossingX, type Outline } from '#shared/stroke/index.ts'

/** Clamp a coordinate to a range that keeps every comparison with pixel centres in 0..size. */
function clampTo(v: number, size: number): number {
  return v < -1 ? -1 : v > size + 1 ? size + 1 : v
}

/** Sort one row's crossings by x (insertion sort: a stroke row has a handful). */
function sortCrossings(xs: Float64Array, dirs: Int8Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const x = xs[i]
    const d = dirs[i]
    let j = i - 1
    while (j >= from && xs[j] > x) {
      xs[j + 1] = xs[j]
      dirs[j + 1] = dirs[j]
      j--
    }
    xs[j + 1] = x
    dirs[j + 1] = d
  }
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
 * Scanline fill: each edge is bucketed into the rows whose centre line it crosses (half-open in y,
 * so a vertex on a centre line is counted once); per row the crossings are sorted and the winding
 * number summed from the left; the runs where it is nonzero are the covered pixels.
 */
export function rasterizeBySortedCrossings(polygon: Outline, frame: FrameSize): Int32Array {
  const { width, height } = frame
  const n = polygon.length
  if (n < 3 || width <= 0 || height <= 0) return new Int32Array(0)
  for (const [x, y] of polygon) {
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new RangeError('a stroke outline point is not a finite number')
  }

  // Pass 1: how many crossings each row has. Row r's centre line is yc = r + 0.5; the edge crosses
  // it when min(y0, y1) <= yc < max(y0, y1), i.e. r in [ceil(min - 0.5), ceil(max - 0.5)).
  const counts = new Int32Array(height + 1)
  for (let i = 0; i < n; i++) {
    const y0 = polygon[i][1]
    const y1 = polygon[(i + 1) % n][1]
    if (y0 === y1) continue
    const lo = Math.max(0, Math.ceil(clampTo(Math.min(y0, y1), height) - 0.5))
    const hi = Math.min(height, Math.ceil(clampTo(Math.max(y0, y1), height) - 0.5))
    for (let r = lo; r < hi; r++) counts[r + 1]++
  }
  for (let r = 0; r < height; r++) counts[r + 1] += counts[r]
  const total = counts[height]
  if (total === 0) return new Int32Array(0)

  // Pass 2: the crossings themselves, grouped by row (counts[r] .. counts[r + 1]).
  const xs = new Float64Array(total)
  const dirs = new Int8Array(total)
  const fill = counts.slice(0, height)
  for (let i = 0; i < n; i++) {
    const [x0, y0] = polygon[i]
    const [x1, y1] = polygon[(i + 1) % n]
    if (y0 === y1) continue
    const dir = y1 > y0 ? 1 : -1
    const lo = Math.max(0, Math.ceil(clampTo(Math.min(y0, y1), height) - 0.5))
    const hi = Math.min(height, Math.ceil(clampTo(Math.max(y0, y1), height) - 0.5))
    for (let r = lo; r < hi; r++) {
      const k = fill[r]++
      xs[k] = crossingX(x0, y0, x1, y1, r + 0.5)
      dirs[k] = dir
    }
  }

  // Per row: pixel centre px is inside when the crossings to its right (x > px) wind nonzero,
  // which (the row's total being zero) is minus the winding of the crossings at or left of px.
  const out = new PixelList()
  for (let r = 0; r < height; r++) {
    const from = counts[r]
    const to = counts[r + 1]
    if (from === to) continue
    sortCrossings(xs, dirs, from, to)
    let winding = 0
    for (let k = from; k < to - 1; k++) {
      winding += dirs[k]
      if (winding === 0) continue
      // Centres px = x + 0.5 with xs[k] <= px < xs[k + 1].
      const start = Math.max(0, Math.ceil(clampTo(xs[k], width) - 0.5))
      const end = Math.min(width, Math.ceil(clampTo(xs[k + 1], width) - 0.5))
      if (end > start) out.pushRun(r * width + start, end - start)
    }
  }
  return out.data.slice(0, out.length)
}
