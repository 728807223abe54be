// The comparison pictures the studio lays over its canvas (render/overlay.ts), of the drawing as
// it is: against the reference as drawn, or against the reference moved onto the drawing by the
// alignment.
import type { HeatmapView, OverlayLayer, OverlayPicture } from '#shared/contract/attempts.ts'
import { HEATMAP_TOP_PERCENT } from '#shared/colormap.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import { renderOverlay } from '../render/overlay.ts'

export interface OverlayOptions {
  layer: OverlayLayer
  view: HeatmapView
  aligned: boolean
  scale: 1 | 2
}

export interface OverlayFields {
  errorField(attemptId: string): Promise<ErrorField | null>
  alignedField(attemptId: string): Promise<ErrorField | null>
}

/** The picture, or null while nothing is drawn. */
export async function attemptOverlay(
  attempts: OverlayFields,
  attemptId: string,
  options: OverlayOptions
): Promise<OverlayPicture | null> {
  const field = await (options.aligned ? attempts.alignedField(attemptId) : attempts.errorField(attemptId))
  if (!field) return null
  const image = await renderOverlay(field, options)
  return {
    ...options,
    png: new Uint8Array(image.png.buffer, image.png.byteOffset, image.png.byteLength),
    width: image.width,
    height: image.height,
    tolerancePx: field.evaluation.tolerancePx,
    maxPercent: HEATMAP_TOP_PERCENT
  }
}
