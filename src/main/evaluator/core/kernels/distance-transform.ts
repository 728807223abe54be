/* eslint-disable @typescript-eslint/ban-ts-comment */
// @ts-nocheck AssemblyScript: asc checks and compiles it (npm run build:wasm), tsc does not know its types.
import { view } from './views'

/**
 * The exact L1 distance transform, in place, of the w x h window of u16 values at byte offset
 * `at`: two raster passes, forward (from the left and from above) and backward (from the right
 * and from below). Sources hold 0, everything else FAR; values are widened to i32 before adding
 * 1, so FAR + 1 stays larger than FAR and "no source" survives a window without any.
 */
export function distanceTransform(at: usize, w: i32, h: i32): void {
  const d = view<u16>(at)
  // Forward, first row: from the left only.
  for (let i = 1; i < w; i++) {
    const t = <i32>d[i - 1] + 1
    if (t < <i32>d[i]) d[i] = <u16>t
  }
  // Forward, other rows.
  for (let y = 1; y < h; y++) {
    let i = y * w
    const end = i + w
    let prev = <i32>d[i]
    let t = <i32>d[i - w] + 1
    if (t < prev) {
      prev = t
      d[i] = <u16>t
    }
    for (i++; i < end; i++) {
      let v = <i32>d[i]
      t = <i32>d[i - w] + 1
      if (t < v) v = t
      t = prev + 1
      if (t < v) v = t
      d[i] = <u16>v
      prev = v
    }
  }
  // Backward, last row: from the right only.
  const last = (h - 1) * w
  for (let i = last + w - 2; i >= last; i--) {
    const t = <i32>d[i + 1] + 1
    if (t < <i32>d[i]) d[i] = <u16>t
  }
  // Backward, other rows.
  for (let y = h - 2; y >= 0; y--) {
    const start = y * w
    let i = start + w - 1
    let prev = <i32>d[i]
    let t = <i32>d[i + w] + 1
    if (t < prev) {
      prev = t
      d[i] = <u16>t
    }
    for (i--; i >= start; i--) {
      let v = <i32>d[i]
      t = <i32>d[i + w] + 1
      if (t < v) v = t
      t = prev + 1
      if (t < v) v = t
      d[i] = <u16>v
      prev = v
    }
  }
}
