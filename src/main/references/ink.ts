// The spec's ink rules (evaluation-spec.md section 1), as pure functions over raw pixels.
// A mask is one byte per frame pixel, row-major: 1 = ink, 0 = background.

export const DEFAULT_INK_THRESHOLD = 128

/**
 * Image rule: luma Y = 0.299 R + 0.587 G + 0.114 B (0..255) of the pixel composited over
 * white; ink iff Y < threshold. `pixels` is interleaved 8-bit RGB or RGBA (`channels` 3 or 4);
 * with alpha, the pixel is composited over white first, so transparent pixels are background.
 */
export function inkByLuma(pixels: Uint8Array, channels: 3 | 4, count: number, threshold = DEFAULT_INK_THRESHOLD): Uint8Array {
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
