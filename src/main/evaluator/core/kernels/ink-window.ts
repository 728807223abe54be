import { FAR, ink, scratch, width } from './layout'

/**
 * A distance-transform source of the drawing in the window (rows wy0.., columns wx0.., ww x wh)
 * into the scratch window: 0 at ink, FAR elsewhere.
 */
export function inkWindow(wy0: i32, wx0: i32, ww: i32, wh: i32): void {
  const W = width
  const drawing = ink()
  const out = scratch()
  let k = 0
  for (let row = 0; row < wh; row++) {
    const from = (wy0 + row) * W + wx0
    for (let x = 0; x < ww; x++) out[k++] = drawing[from + x] ? 0 : <u16>FAR
  }
}
