// The drawing moved onto the reference, as frame pixels: every ink pixel p goes to the pixel
// nearest G(p) (so no line is lost when G shrinks it), and every frame pixel q whose nearest
// drawing pixel under F = G^-1 is ink is ink too (so no holes open when G enlarges it). Pixels
// that land outside the frame are dropped. The identity gives the drawing back unchanged.
import type { Affine } from './similarity.ts'

/** Scratch a warp reuses: a frame of marks (left zeroed) and room for the moved pixels (grown as needed). */
export interface WarpScratch {
  marks: Uint8Array
  out: Int32Array
}

export function warpScratch(width: number, height: number): WarpScratch {
  return { marks: new Uint8Array(width * height), out: new Int32Array(1024) }
}

/** The warped pixels, each once, in ascending order. `g` is drawing -> reference, `f` its inverse. */
export function warpPixels(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
  g: Affine,
  f: Affine,
  scratch: WarpScratch
): Int32Array {
  const { marks } = scratch
  // Each drawing pixel adds at most its footprint's box plus one.
  const ex = (Math.abs(g.a) + Math.abs(g.b)) / 2
  const ey = (Math.abs(g.c) + Math.abs(g.d)) / 2
  const most = Math.min(width * height, pixels.length * ((2 * Math.ceil(ex) + 1) * (2 * Math.ceil(ey) + 1) + 1))
  if (scratch.out.length < most) scratch.out = new Int32Array(most)
  const out = scratch.out
  let count = 0
  // ex, ey: half the size of the box around the image of a pixel's unit square.
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]
    const y = (p / width) | 0
    const x = p - y * width
    const gx = g.a * x + g.b * y + g.tx
    const gy = g.c * x + g.d * y + g.ty
    const nx = Math.floor(gx + 0.5)
    const ny = Math.floor(gy + 0.5)
    if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
      const q = ny * width + nx
      if (marks[q] === 0) {
        marks[q] = 1
        out[count++] = q
      }
    }
    const x0 = Math.max(0, Math.ceil(gx - ex))
    const x1 = Math.min(width - 1, Math.floor(gx + ex))
    const y1 = Math.min(height - 1, Math.floor(gy + ey))
    for (let qy = Math.max(0, Math.ceil(gy - ey)); qy <= y1; qy++) {
      for (let qx = x0; qx <= x1; qx++) {
        const q = qy * width + qx
        if (marks[q] !== 0) continue
        const fx = f.a * qx + f.b * qy + f.tx
        const fy = f.c * qx + f.d * qy + f.ty
        if (Math.floor(fx + 0.5) === x && Math.floor(fy + 0.5) === y) {
          marks[q] = 1
          out[count++] = q
        }
      }
    }
  }
  const result = out.slice(0, count)
  for (let i = 0; i < count; i++) marks[result[i]] = 0
  return result.sort()
}
