// Outline mode: a photo becomes lines. The image's luma is blurred (sharp), then, here, as pure
// functions: Sobel gradients, thinning to one-pixel ridges (non-maximum suppression) and a
// two-level threshold that keeps faint stretches of a line connected to strong ones (Canny's
// hysteresis). A line drawing's outline follows both sides of each stroke.

/** Gaussian blur (sigma, in frame pixels) applied before the gradients: photo grain is not a line. */
export const OUTLINE_BLUR_SIGMA = 1.5

/**
 * Edge strength of a greyscale image after non-maximum suppression: the Sobel gradient magnitude
 * divided by 4 (so an unblurred step from 0 to h measures h) where the pixel is a ridge across
 * the gradient direction, else 0. Borders repeat the edge pixels, so the image's own border is
 * not an edge.
 */
export function edgeStrength(grey: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = width * height
  const gx = new Float32Array(n)
  const gy = new Float32Array(n)
  const mag = new Float32Array(n)
  const at = (x: number, y: number): number =>
    grey[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = at(x - 1, y - 1),
        b = at(x, y - 1),
        c = at(x + 1, y - 1)
      const d = at(x - 1, y),
        f = at(x + 1, y)
      const g = at(x - 1, y + 1),
        h = at(x, y + 1),
        k = at(x + 1, y + 1)
      const sx = c + 2 * f + k - (a + 2 * d + g)
      const sy = g + 2 * h + k - (a + 2 * b + c)
      const p = y * width + x
      gx[p] = sx
      gy[p] = sy
      mag[p] = Math.hypot(sx, sy) / 4
    }
  }
  const out = new Float32Array(n)
  const m = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : mag[y * width + x])
  // tan(22.5 deg) and tan(67.5 deg): the gradient direction, quantised to 4 neighbour pairs.
  const T1 = 0.41421356
  const T2 = 2.41421356
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x
      const v = mag[p]
      if (v === 0) continue
      const ax = Math.abs(gx[p])
      const ay = Math.abs(gy[p])
      let n1: number, n2: number
      if (ay <= ax * T1) {
        n1 = m(x - 1, y)
        n2 = m(x + 1, y)
      } else if (ay >= ax * T2) {
        n1 = m(x, y - 1)
        n2 = m(x, y + 1)
      } else if (gx[p] * gy[p] > 0) {
        n1 = m(x - 1, y - 1)
        n2 = m(x + 1, y + 1)
      } else {
        n1 = m(x + 1, y - 1)
        n2 = m(x - 1, y + 1)
      }
      // Ties go to one side only (>= before, > after), so a flat-topped ridge stays one pixel wide.
      if (v >= n1 && v > n2) out[p] = v
    }
  }
  return out
}

/**
 * Ink from thinned edge strengths: every pixel at or above `threshold`, plus pixels at or above
 * half of it that connect (8-neighbours) to one. `threshold` is at least 1.
 */
export function outlineMask(strength: Float32Array, width: number, height: number, threshold: number): Uint8Array {
  const mask = new Uint8Array(width * height)
  const low = threshold / 2
  const stack: number[] = []
  for (let p = 0; p < strength.length; p++) {
    if (strength[p] >= threshold && !mask[p]) {
      mask[p] = 1
      stack.push(p)
      while (stack.length > 0) {
        const q = stack.pop() as number
        const qx = q % width
        const qy = (q - qx) / width
        for (let dy = -1; dy <= 1; dy++) {
          const y = qy + dy
          if (y < 0 || y >= height) continue
          for (let dx = -1; dx <= 1; dx++) {
            const x = qx + dx
            if (x < 0 || x >= width) continue
            const r = y * width + x
            if (!mask[r] && strength[r] >= low) {
              mask[r] = 1
              stack.push(r)
            }
          }
        }
      }
    }
  }
  return mask
}

/**
 * Lines thinned to one pixel (Zhang and Suen's thinning, 8-connected): a photo's edges come out of
 * the two-level threshold one or two pixels wide here and there; thinned, every line the artist
 * copies has the same width. Thinning never breaks a line in two, and a speck it would erase
 * entirely (a 2 x 2 block) keeps one pixel. Returns a new mask, a subset of `mask`.
 */
export function thinLines(mask: Uint8Array, width: number, height: number): Uint8Array {
  const out = mask.slice()
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : out[y * width + x])
  const remove: number[] = []
  for (let changed = true; changed;) {
    changed = false
    for (const step of [0, 1]) {
      remove.length = 0
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!out[y * width + x]) continue
          // Neighbours clockwise from north: P2..P9.
          const p2 = at(x, y - 1)
          const p3 = at(x + 1, y - 1)
          const p4 = at(x + 1, y)
          const p5 = at(x + 1, y + 1)
          const p6 = at(x, y + 1)
          const p7 = at(x - 1, y + 1)
          const p8 = at(x - 1, y)
          const p9 = at(x - 1, y - 1)
          const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9
          if (b < 2 || b > 6) continue
          const ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
          let a = 0
          for (let k = 0; k < 8; k++) if (ring[k] === 0 && ring[k + 1] === 1) a++
          if (a !== 1) continue
          if (step === 0 ? p2 * p4 * p6 !== 0 || p4 * p6 * p8 !== 0 : p2 * p4 * p8 !== 0 || p2 * p6 * p8 !== 0) continue
          remove.push(y * width + x)
        }
      }
      for (const p of remove) out[p] = 0
      if (remove.length > 0) changed = true
    }
  }
  // A component thinning erased entirely (only a 2 x 2 block can be) keeps its first pixel.
  const seen = new Uint8Array(mask.length)
  const stack: number[] = []
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue
    let kept = false
    seen[start] = 1
    stack.push(start)
    while (stack.length > 0) {
      const q = stack.pop() as number
      if (out[q]) kept = true
      const qx = q % width
      const qy = (q - qx) / width
      for (let dy = -1; dy <= 1; dy++) {
        const y = qy + dy
        if (y < 0 || y >= height) continue
        for (let dx = -1; dx <= 1; dx++) {
          const x = qx + dx
          if (x < 0 || x >= width) continue
          const r = y * width + x
          if (mask[r] && !seen[r]) {
            seen[r] = 1
            stack.push(r)
          }
        }
      }
    }
    if (!kept) out[start] = 1
  }
  return out
}
