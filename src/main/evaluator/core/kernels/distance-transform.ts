import { View, view } from './views'

/**
 * The exact L1 distance transform, in place, of the w x h window of u16 values at byte offset
 * `at`. Sources hold 0, everything else FAR. L1 distance is separable: first the distance to the
 * nearest source within each row (a pass from the left and one from the right), then along the
 * columns (a pass down and one up, eight pixels of a row at a time). FAR + 1 stays FAR (saturating
 * in the vector passes, widened to i32 in the scalar ones), so "no source" survives a window
 * without any.
 */
export function distanceTransform(at: usize, w: i32, h: i32): void {
  const d = view<u16>(at)
  const n = w * h
  for (let row = 0; row < n; row += w) {
    fromLeft(d, row, w)
    fromRight(d, row, w)
  }
  for (let row = w; row < n; row += w) fromRow(d, row, row - w, w)
  for (let row = n - 2 * w; row >= 0; row -= w) fromRow(d, row, row + w, w)
}

/** Along the row of w pixels at `row`, left to right: d = min(d, d of the left neighbour + 1). */
function fromLeft(d: View<u16>, row: i32, w: i32): void {
  let prev = <i32>d[row]
  for (let i = row + 1, end = row + w; i < end; i++) {
    const t = prev + 1
    prev = <i32>d[i]
    if (t < prev) {
      prev = t
      d[i] = <u16>t
    }
  }
}

/** Along the row, right to left: d = min(d, d of the right neighbour + 1). */
function fromRight(d: View<u16>, row: i32, w: i32): void {
  let prev = <i32>d[row + w - 1]
  for (let i = row + w - 2; i >= row; i--) {
    const t = prev + 1
    prev = <i32>d[i]
    if (t < prev) {
      prev = t
      d[i] = <u16>t
    }
  }
}

/** d[row + x] = min(d[row + x], d[other + x] + 1) for the w pixels of a row: the column step. */
function fromRow(d: View<u16>, row: i32, other: i32, w: i32): void {
  const one = i16x8.splat(1)
  let x = 0
  for (; x + 8 <= w; x += 8) {
    d.setVector(row + x, i16x8.min_u(d.vector(row + x), i16x8.add_sat_u(d.vector(other + x), one)))
  }
  // The last few, one at a time: a vector overlapping the one just stored would wait for it.
  for (; x < w; x++) {
    const t = <i32>d[other + x] + 1
    if (t < <i32>d[row + x]) d[row + x] = <u16>t
  }
}
