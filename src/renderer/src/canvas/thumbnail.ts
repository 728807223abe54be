// A small picture of a drawing, painted by the studio's own painter (the same ink as the canvas):
// the history shows the attempt under way with it before the main side has kept any picture.
import type { FrameSize } from '#shared/contract/app.ts'
import type { DrawingOp } from '#shared/edit-history/index.ts'
import { StrokePainter, canvasSurface } from './painter.ts'

/** A PNG data: URL of the ops (after the last clear), fitting in side x side; null without a canvas. */
export function drawingThumbnail(ops: readonly DrawingOp[], frame: FrameSize, side = 160): string | null {
  const scale = side / Math.max(frame.width, frame.height)
  const make = (): HTMLCanvasElement => document.createElement('canvas')
  const visible = make()
  const view = canvasSurface(visible, false)
  const layer = canvasSurface(make(), false)
  if (!view || !layer) return null
  view.width = Math.max(1, Math.round(frame.width * scale))
  view.height = Math.max(1, Math.round(frame.height * scale))
  const painter = new StrokePainter(view, layer, frame, (paint) => paint())
  painter.sync(ops)
  try {
    return visible.toDataURL('image/png')
  } catch {
    return null
  }
}
