// Ink over the report's comparison: the strokes its picture does not have yet and the stroke in
// progress, on a transparent canvas above the overlay, so drawing with the report open is never
// drawing blind. Repainted whole, once per animation frame at most (a few strokes at a time).
import type { FrameSize } from '#shared/contract/app.ts'
import type { DrawingOp } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { strokeOutline } from '#shared/stroke/index.ts'
import { cachedOutline, INK, PAPER } from './painter.ts'

export class InkOnTop {
  private readonly canvas: HTMLCanvasElement
  private readonly ctx: CanvasRenderingContext2D | null
  private frame: FrameSize
  private strokes: readonly DrawingOp[] = []
  private live: Stroke | null = null
  private scheduled = false

  constructor(canvas: HTMLCanvasElement, frame: FrameSize) {
    this.canvas = canvas
    this.ctx = canvas.getContext('2d')
    this.frame = frame
  }

  resize(width: number, height: number, frame: FrameSize): void {
    this.frame = frame
    this.canvas.width = Math.max(1, Math.round(width))
    this.canvas.height = Math.max(1, Math.round(height))
    this.paint()
  }

  setStrokes(ops: readonly DrawingOp[]): void {
    this.strokes = ops
    this.request()
  }

  setLive(stroke: Stroke | null): void {
    this.live = stroke
    this.request()
  }

  private request(): void {
    if (this.scheduled) return
    this.scheduled = true
    requestAnimationFrame(() => {
      this.scheduled = false
      this.paint()
    })
  }

  private paint(): void {
    const ctx = this.ctx
    if (!ctx) return
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height)
    ctx.setTransform(this.canvas.width / this.frame.width, 0, 0, this.canvas.height / this.frame.height, 0, 0)
    const fill = (stroke: Stroke, outline: [number, number][]): void => {
      if (outline.length < 3) return
      ctx.fillStyle = stroke.tool === 'eraser' ? PAPER : INK
      ctx.beginPath()
      ctx.moveTo(outline[0][0], outline[0][1])
      for (let i = 1; i < outline.length; i++) ctx.lineTo(outline[i][0], outline[i][1])
      ctx.closePath()
      ctx.fill('nonzero')
    }
    for (const op of this.strokes) if (op.kind === 'stroke') fill(op.stroke, cachedOutline(op.stroke))
    if (this.live && this.live.points.length > 0) fill(this.live, strokeOutline(this.live))
  }
}
