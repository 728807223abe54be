// The pictures the studio lays over its canvas while the report is open: frame-sized, on a
// transparent background (so the ink on the canvas under them stays visible), one frame pixel
// to `scale` x `scale` picture pixels.
// - heatmap: each ink pixel in its error's colour on the fixed scale (HEATMAP_TOP_PERCENT), the
//   grid cells faintly tinted by their value; in the combined view the reference is paler than
//   the drawing, so the two inks are told apart; in the drawing's view the reference is faint
//   grey context.
// - match: the drawing's pixels within the tolerance (hit) or beyond it (extra), and the
//   reference's pixels beyond it (missed), in three colour-blind-safe hues (palette.ts).
// - reference: the reference's ink, opaque black on transparent (the renderer colours it, as a
//   mask, for the onion skin, the flicker and the swipe).
import sharp from 'sharp'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import { ERROR_MAP, HEATMAP_TOP_PERCENT, mapIndex } from '#shared/colormap.ts'
import { GRID } from '#shared/contract/scores.ts'
import type { HeatmapView, OverlayLayer } from '#shared/contract/attempts.ts'
import { gridCellStarts } from '#shared/grid.ts'
import { EXTRA, HIT, MISSED, type Rgb } from '#shared/feedback/palette.ts'

export interface OverlayImage {
  png: Buffer
  width: number
  height: number
}

/** Alpha of a cell's tint, of the reference in the combined view, of everything else. */
export const CELL_ALPHA = 40
export const PALE_ALPHA = 110
const SOLID = 255
/** The reference as context in the drawing's view: faint grey. */
const CONTEXT_INK: Rgb = [120, 116, 110]
export const CONTEXT_ALPHA = 70

export async function renderOverlay(
  field: ErrorField,
  options: { layer: OverlayLayer; view: HeatmapView; scale: 1 | 2 }
): Promise<OverlayImage> {
  const s = options.scale
  const { width: W, height: H } = field
  const width = W * s
  const height = H * s
  const out = Buffer.alloc(width * height * 4)
  const fill = (x0: number, y0: number, x1: number, y1: number, r: number, g: number, b: number, a: number): void => {
    for (let y = y0; y < y1; y++)
      for (let i = (y * width + x0) * 4, end = (y * width + x1) * 4; i < end; i += 4) {
        out[i] = r
        out[i + 1] = g
        out[i + 2] = b
        out[i + 3] = a
      }
  }
  const pixel = (p: number, r: number, g: number, b: number, a: number): void => {
    const x = p % W
    const y = (p - x) / W
    fill(x * s, y * s, x * s + s, y * s + s, r, g, b, a)
  }
  const side = Math.max(W, H)
  const maxPx = (HEATMAP_TOP_PERCENT * side) / 100
  const coloured = (pixels: Int32Array, errors: Int32Array, alpha: number): void => {
    for (let n = 0; n < pixels.length; n++) {
      const k = mapIndex(errors[n], maxPx) * 3
      pixel(pixels[n], ERROR_MAP[k], ERROR_MAP[k + 1], ERROR_MAP[k + 2], alpha)
    }
  }
  const solid = (pixels: Int32Array, rgb: Rgb, keep: (n: number) => boolean, alpha = SOLID): void => {
    for (let n = 0; n < pixels.length; n++) if (keep(n)) pixel(pixels[n], rgb[0], rgb[1], rgb[2], alpha)
  }

  if (options.layer === 'heatmap') {
    const rows = gridCellStarts(H)
    const cols = gridCellStarts(W)
    for (let i = 0; i < GRID; i++)
      for (let j = 0; j < GRID; j++) {
        const v = field.evaluation.grid[i][j]
        if (v <= 0) continue
        const k = mapIndex(v, maxPx) * 3
        fill(
          cols[j] * s,
          rows[i] * s,
          cols[j + 1] * s,
          rows[i + 1] * s,
          ERROR_MAP[k],
          ERROR_MAP[k + 1],
          ERROR_MAP[k + 2],
          CELL_ALPHA
        )
      }
    if (options.view === 'drawing') solid(field.referencePixels, CONTEXT_INK, () => true, CONTEXT_ALPHA)
    else coloured(field.referencePixels, field.referenceErrors, options.view === 'combined' ? PALE_ALPHA : SOLID)
    if (options.view !== 'reference') coloured(field.drawingPixels, field.drawingErrors, SOLID)
  } else if (options.layer === 'match') {
    const t = field.evaluation.tolerancePx
    solid(field.referencePixels, MISSED, (n) => field.referenceErrors[n] > t)
    solid(field.drawingPixels, HIT, (n) => field.drawingErrors[n] <= t)
    solid(field.drawingPixels, EXTRA, (n) => field.drawingErrors[n] > t)
  } else {
    solid(field.referencePixels, [0, 0, 0], () => true)
  }
  const png = await sharp(out, { raw: { width, height, channels: 4 } })
    .png({ compressionLevel: 3 })
    .toBuffer()
  return { png, width, height }
}
