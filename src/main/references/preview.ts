// The ink preview the user sees while choosing settings: the extracted ink in a strong colour
// over a faint copy of the reference, so what is and is not taken as ink is plain at a glance.

/** Ink colour of the preview: a deep blue that stands out from a greyed photo or drawing. */
export const PREVIEW_INK: readonly [number, number, number] = [24, 64, 200]

/** How much of the reference's darkness the faint copy keeps (of 256). */
const FAINT = 64

/** Interleaved RGB: ink pixels in PREVIEW_INK, the others the reference faded towards white. */
export function composeInkPreview(rgb: Uint8Array, mask: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(rgb.length)
  const [r, g, b] = PREVIEW_INK
  for (let p = 0, i = 0; p < mask.length; p++, i += 3) {
    if (mask[p]) {
      out[i] = r
      out[i + 1] = g
      out[i + 2] = b
    } else {
      out[i] = 255 - (((255 - rgb[i]) * FAINT) >> 8)
      out[i + 1] = 255 - (((255 - rgb[i + 1]) * FAINT) >> 8)
      out[i + 2] = 255 - (((255 - rgb[i + 2]) * FAINT) >> 8)
    }
  }
  return out
}
