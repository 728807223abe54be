// The spec's ink rules (docs/scoring.md section 1), as pure functions over raw pixels.
// A mask is one byte per frame pixel, row-major: 1 = ink, 0 = background.

import { DEFAULT_LUMA_THRESHOLD } from '#shared/contract/references.ts'

/** The spec's default threshold (128). */
export const DEFAULT_INK_THRESHOLD = DEFAULT_LUMA_THRESHOLD

/**
 * Image rule: luma Y = 0.299 R + 0.587 G + 0.114 B (0..255) of the pixel composited over
 * white; ink iff Y < threshold. `pixels` is interleaved 8-bit RGB or RGBA (`channels` 3 or 4);
 * with alpha, the pixel is composited over white first, so transparent pixels are background.
 */
export function inkByLuma(
  pixels: Uint8Array,
  channels: 3 | 4,
  count: number,
  threshold = DEFAULT_INK_THRESHOLD
): Uint8Array {
  // Exact integer arithmetic: in floating point 0.299*128 + 0.587*128 + 0.114*128 is
  // 127.99999999999999, which would make mid-grey ink at threshold 128. Scaled by 1000 (and by
  // 255 for the alpha composite) every comparison is exact, as the spec's formula is.
  const mask = new Uint8Array(count)
  if (channels === 3) {
    const limit = 1000 * threshold
    for (let p = 0, i = 0; p < count; p++, i += 3) {
      mask[p] = 299 * pixels[i] + 587 * pixels[i + 1] + 114 * pixels[i + 2] < limit ? 1 : 0
    }
    return mask
  }
  const limit = 1000 * 255 * threshold
  for (let p = 0, i = 0; p < count; p++, i += 4) {
    const a = pixels[i + 3]
    const white = 255 * (255 - a)
    const y = 299 * (pixels[i] * a + white) + 587 * (pixels[i + 1] * a + white) + 114 * (pixels[i + 2] * a + white)
    mask[p] = y < limit ? 1 : 0
  }
  return mask
}

export type LegacyBackground = 'white' | 'transparent'

/**
 * Legacy rule of the original tool (spec section 5): on a white background ink iff the red
 * channel != 255; on a transparent background ink iff alpha != 0. `pixels` is RGBA.
 */
export function inkByLegacyRule(rgba: Uint8Array, count: number, background: LegacyBackground): Uint8Array {
  const mask = new Uint8Array(count)
  const offset = background === 'white' ? 0 : 3
  const blank = background === 'white' ? 255 : 0
  for (let p = 0; p < count; p++) mask[p] = rgba[p * 4 + offset] !== blank ? 1 : 0
  return mask
}

/** The ink pixels of a mask as ascending row-major indices. */
export function maskToPixels(mask: Uint8Array): Int32Array {
  let n = 0
  for (let i = 0; i < mask.length; i++) n += mask[i]
  const out = new Int32Array(n)
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i]) out[k++] = i
  return out
}

/**
 * floor(Y) of each interleaved RGB pixel, exactly (Y scaled by 1000 in integers). For an integer
 * threshold t, Y < t exactly when floor(Y) < t, so a slider can re-threshold this array alone.
 */
export function lumaFloor(rgb: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count)
  for (let p = 0, i = 0; p < count; p++, i += 3) {
    out[p] = Math.floor((299 * rgb[i] + 587 * rgb[i + 1] + 114 * rgb[i + 2]) / 1000)
  }
  return out
}

/** The luma rule on floor(Y) values: ink iff floor(Y) < threshold (same mask as inkByLuma). */
export function inkByLumaFloor(luma: Uint8Array, threshold: number): Uint8Array {
  const mask = new Uint8Array(luma.length)
  for (let p = 0; p < luma.length; p++) mask[p] = luma[p] < threshold ? 1 : 0
  return mask
}

/** A 256-bin histogram of the values of `luma` inside a rectangle of a `width`-wide image. */
export function histogram(
  luma: Uint8Array,
  width: number,
  rect: { left: number; top: number; width: number; height: number }
): Float64Array {
  const hist = new Float64Array(256)
  for (let y = rect.top; y < rect.top + rect.height; y++) {
    const row = y * width
    for (let x = rect.left; x < rect.left + rect.width; x++) hist[luma[row + x]]++
  }
  return hist
}

/**
 * Otsu's method: the threshold t (ink iff value < t) that maximises the between-class variance
 * of {v < t} and {v >= t}. Where several t are equally good (empty bins between two peaks) the
 * middle of the first such run is taken, so a black-and-white drawing gets 128, not 1.
 * With fewer than two distinct values there is nothing to separate: the lowest value is
 * returned, which makes nothing ink.
 */
export function otsuThreshold(hist: ArrayLike<number>): number {
  let total = 0
  let sum = 0
  for (let v = 0; v < 256; v++) {
    total += hist[v]
    sum += v * hist[v]
  }
  let lowest = 0
  while (lowest < 255 && hist[lowest] === 0) lowest++
  let best = -1
  let bestStart = lowest
  let bestEnd = lowest
  let w0 = 0
  let sum0 = 0
  // Splitting before value t: class 0 = values 0..t-1.
  for (let t = 1; t <= 255; t++) {
    w0 += hist[t - 1]
    sum0 += (t - 1) * hist[t - 1]
    const w1 = total - w0
    if (w0 === 0 || w1 === 0) continue
    const mu0 = sum0 / w0
    const mu1 = (sum - sum0) / w1
    const between = w0 * w1 * (mu0 - mu1) * (mu0 - mu1)
    // Relative tolerance: the same split computed at another t may differ in the last bits.
    if (between > best * (1 + 1e-12)) {
      best = between
      bestStart = bestEnd = t
    } else if (between >= best * (1 - 1e-12) && bestEnd === t - 1) {
      bestEnd = t
    }
  }
  if (best < 0) return lowest
  return Math.floor((bestStart + bestEnd) / 2)
}
