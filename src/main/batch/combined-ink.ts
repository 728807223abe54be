// The two halves of a combined image (docs/scoring.md section 5) as ink, straight from the
// decoded PNG rows: the legacy rule (red != 255 on white, alpha != 0 on transparent) read off each
// stored pixel, with no RGBA copy of the image in between.
import { COMBINED } from '#main/references/combined-layout.ts'
import type { LegacyBackground } from '#main/references/ink.ts'
import type { InkView } from './full-score.ts'
import type { PngPixels } from './png-pixels.ts'

export interface CombinedInkViews {
  reference: InkView
  drawing: InkView
}

/** null when the image is not laid out as a combined image (the caller's slow path says why). */
export function combinedHalvesFromPng(png: PngPixels, background: LegacyBackground): CombinedInkViews | null {
  const { side, minWidth, referenceLeft, drawingLeft } = COMBINED
  if (png.width < minWidth || png.height !== side) return null
  return { reference: halfInk(png, referenceLeft, background), drawing: halfInk(png, drawingLeft, background) }
}

function halfInk(png: PngPixels, left: number, background: LegacyBackground): InkView {
  const { side } = COMBINED
  const { channels, data, rowStride, palette } = png
  if (palette) {
    // Ink per palette entry, then a mask of the half.
    const inkOf = new Uint8Array(256)
    for (let i = 0; i < palette.alpha.length; i++)
      inkOf[i] = background === 'white' ? (palette.rgb[i * 3] !== 255 ? 1 : 0) : palette.alpha[i] !== 0 ? 1 : 0
    const mask = new Uint8Array(side * side)
    for (let y = 0; y < side; y++) {
      const from = y * rowStride + 1 + left
      for (let x = 0; x < side; x++) mask[y * side + x] = inkOf[data[from + x]]
    }
    return { data: mask, offset: 0, rowStride: side, pixelStride: 1, blank: 0 }
  }
  if (background === 'transparent' && (channels === 1 || channels === 3)) {
    // No alpha channel: every pixel is opaque, so every pixel is ink by the alpha rule.
    return { data: new Uint8Array(side * side).fill(1), offset: 0, rowStride: side, pixelStride: 1, blank: 0 }
  }
  // The byte the rule reads: red (the first) on white, alpha (the last) on transparent.
  return {
    data,
    offset: 1 + left * channels + (background === 'white' ? 0 : channels - 1),
    rowStride,
    pixelStride: channels,
    blank: background === 'white' ? 255 : 0
  }
}
