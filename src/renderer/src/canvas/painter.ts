// Paints the drawing: committed ops into an off-screen layer (incrementally when a stroke is
// appended, replayed after undo / redo / resize), and the layer plus the stroke in progress onto
// the visible canvas once per animation frame, only where something changed.
import type { FrameSize } from '#shared/contract/app.ts'
import type { DrawingOp } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { strokeOutline, type Outline } from '#shared/stroke/index.ts'

export const INK = '#161616'
export const PAPER = '#ffffff'
/** Construction lines: a blue pencil, shown faintly by their canvas's opacity (DrawingCanvas). */
export const CONSTRUCTION_INK = '#2f6db5'

/**
 * What a painter paints with: the drawing is ink on paper (an eraser paints paper); construction
 * lines are ink on a transparent canvas stacked over the drawing (paper null: cleared, not filled).
 */
export interface PainterStyle {
  ink: string
  paper: string | null
}
export const DRAWING_STYLE: PainterStyle = { ink: INK, paper: PAPER }
export const CONSTRUCTION_STYLE: PainterStyle = { ink: CONSTRUCTION_INK, paper: null }

/** The parts of CanvasRenderingContext2D the painter uses (tests pass a recording fake). */
export interface PaintContext {
  fillStyle: string | CanvasGradient | CanvasPattern
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void
  fillRect(x: number, y: number, w: number, h: number): void
  clearRect(x: number, y: number, w: number, h: number): void
  beginPath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  closePath(): void
  fill(fillRule?: CanvasFillRule): void
  drawImage(
    image: CanvasImageSource,
    sx: number,
    sy: number,
    sw: number,
    sh: number,
    dx: number,
    dy: number,
    dw: number,
    dh: number
  ): void
}

/** A canvas the painter can size and draw on. */
export interface Surface {
  width: number
  height: number
  readonly ctx: PaintContext
  readonly source: CanvasImageSource
}

interface Box {
  x0: number
  y0: number
  x1: number
  y1: number
}

const outlines = new WeakMap<Stroke, Outline>()
/** Outlines of committed strokes never change: computed once per stroke object. */
export function cachedOutline(stroke: Stroke): Outline {
  let outline = outlines.get(stroke)
  if (!outline) {
    outline = strokeOutline(stroke)
    outlines.set(stroke, outline)
  }
  return outline
}

function tracePath(ctx: PaintContext, outline: Outline): void {
  ctx.beginPath()
  ctx.moveTo(outline[0][0], outline[0][1])
  for (let i = 1; i < outline.length; i++) ctx.lineTo(outline[i][0], outline[i][1])
  ctx.closePath()
}

function union(a: Box | null, b: Box | null): Box | null {
  if (!a) return b
  if (!b) return a
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) }
}

export class StrokePainter {
  private frame: FrameSize
  private scaleX = 1
  private scaleY = 1
  private painted: readonly DrawingOp[] = []
  private live: Stroke | null = null
  private liveBox: Box | null = null
  private dirty: Box | null = null
  private scheduled = false
  private readonly view: Surface
  private readonly layer: Surface
  private readonly schedule: (paint: () => void) => void
  private readonly style: PainterStyle

  /** `view` is shown, `layer` holds the committed ops; `schedule` runs a paint on the next frame. */
  constructor(
    view: Surface,
    layer: Surface,
    frame: FrameSize,
    schedule: (paint: () => void) => void = (paint) => requestAnimationFrame(paint),
    style: PainterStyle = DRAWING_STYLE
  ) {
    this.view = view
    this.layer = layer
    this.schedule = schedule
    this.style = style
    this.frame = frame
    this.resize(view.width, view.height)
  }

  /** New backing-store size (CSS size x devicePixelRatio) or frame: replay everything now. */
  resize(width: number, height: number, frame: FrameSize = this.frame): void {
    this.frame = frame
    const w = Math.max(1, Math.round(width))
    const h = Math.max(1, Math.round(height))
    for (const s of [this.view, this.layer]) {
      if (s.width !== w) s.width = w
      if (s.height !== h) s.height = h
    }
    this.scaleX = w / frame.width
    this.scaleY = h / frame.height
    this.replay(this.painted)
    this.dirty = { x0: 0, y0: 0, x1: w, y1: h }
    this.flush()
  }

  /** The drawing's ops (after the last clear). Appended strokes are painted alone; anything else replays. */
  sync(ops: readonly DrawingOp[]): void {
    const prev = this.painted
    const appended = ops.length >= prev.length && prev.every((op, i) => ops[i] === op)
    if (appended) {
      for (const op of ops.slice(prev.length)) this.dirty = union(this.dirty, this.paintOp(this.layer.ctx, op))
    } else {
      this.replay(ops)
      this.dirty = { x0: 0, y0: 0, x1: this.view.width, y1: this.view.height }
    }
    this.painted = ops
    this.request()
  }

  /** The stroke in progress (it grows in place), or null when it ended or was dropped. */
  setLive(stroke: Stroke | null): void {
    this.live = stroke
    this.request()
  }

  private request(): void {
    if (this.scheduled) return
    this.scheduled = true
    this.schedule(() => {
      this.scheduled = false
      this.flush()
    })
  }

  /** Bring the visible canvas up to date: restore the changed region from the layer, then the live stroke. */
  flush(): void {
    let liveOutline: Outline | null = null
    let liveBox: Box | null = null
    if (this.live && this.live.points.length > 0) {
      liveOutline = strokeOutline(this.live)
      liveBox = this.boxOf(liveOutline)
    }
    const region = union(this.dirty, union(this.liveBox, liveBox))
    this.dirty = null
    this.liveBox = liveBox
    if (!region) return
    const ctx = this.view.ctx
    const x0 = Math.max(0, Math.floor(region.x0))
    const y0 = Math.max(0, Math.floor(region.y0))
    const x1 = Math.min(this.view.width, Math.ceil(region.x1))
    const y1 = Math.min(this.view.height, Math.ceil(region.y1))
    if (x1 > x0 && y1 > y0) {
      ctx.setTransform(1, 0, 0, 1, 0, 0)
      // A transparent view would keep what was there under the layer's copy: clear it first.
      if (this.style.paper === null) ctx.clearRect(x0, y0, x1 - x0, y1 - y0)
      ctx.drawImage(this.layer.source, x0, y0, x1 - x0, y1 - y0, x0, y0, x1 - x0, y1 - y0)
    }
    if (liveOutline && this.live && liveOutline.length > 2) {
      ctx.setTransform(this.scaleX, 0, 0, this.scaleY, 0, 0)
      ctx.fillStyle = this.colourOf(this.live)
      tracePath(ctx, liveOutline)
      ctx.fill('nonzero')
    }
  }

  /** A stroke's colour: ink, or paper for an eraser (construction lines have no eraser). */
  private colourOf(stroke: Stroke): string {
    return stroke.tool === 'eraser' && this.style.paper !== null ? this.style.paper : this.style.ink
  }

  /** Paper over the whole layer: filled, or cleared to transparent. */
  private blank(ctx: PaintContext): void {
    ctx.setTransform(1, 0, 0, 1, 0, 0)
    if (this.style.paper === null) ctx.clearRect(0, 0, this.layer.width, this.layer.height)
    else {
      ctx.fillStyle = this.style.paper
      ctx.fillRect(0, 0, this.layer.width, this.layer.height)
    }
  }

  private replay(ops: readonly DrawingOp[]): void {
    const ctx = this.layer.ctx
    this.blank(ctx)
    for (const op of ops) this.paintOp(ctx, op)
  }

  /** Paint one op on the layer; the region it touched, in backing pixels. */
  private paintOp(ctx: PaintContext, op: DrawingOp): Box | null {
    if (op.kind === 'clear') {
      this.blank(ctx)
      return { x0: 0, y0: 0, x1: this.layer.width, y1: this.layer.height }
    }
    const outline = cachedOutline(op.stroke)
    if (outline.length < 3) return null
    ctx.setTransform(this.scaleX, 0, 0, this.scaleY, 0, 0)
    ctx.fillStyle = this.colourOf(op.stroke)
    tracePath(ctx, outline)
    ctx.fill('nonzero')
    return this.boxOf(outline)
  }

  /** An outline's bounds in backing pixels, with a margin for anti-aliasing. */
  private boxOf(outline: Outline): Box {
    let x0 = Infinity
    let y0 = Infinity
    let x1 = -Infinity
    let y1 = -Infinity
    for (const [x, y] of outline) {
      if (x < x0) x0 = x
      if (x > x1) x1 = x
      if (y < y0) y0 = y
      if (y > y1) y1 = y
    }
    return { x0: x0 * this.scaleX - 2, y0: y0 * this.scaleY - 2, x1: x1 * this.scaleX + 2, y1: y1 * this.scaleY + 2 }
  }
}

/**
 * A Surface over a real canvas element (the visible one gets a low-latency context where
 * available); `transparent` for a layer shown over another (construction lines).
 */
export function canvasSurface(canvas: HTMLCanvasElement, lowLatency: boolean, transparent = false): Surface | null {
  const alpha = transparent
  const ctx = canvas.getContext('2d', lowLatency ? { alpha, desynchronized: true } : { alpha })
  if (!ctx) return null
  return {
    get width() {
      return canvas.width
    },
    set width(v: number) {
      canvas.width = v
    },
    get height() {
      return canvas.height
    },
    set height(v: number) {
      canvas.height = v
    },
    ctx,
    source: canvas
  }
}
