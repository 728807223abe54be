import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Stroke, StrokePoint } from '#shared/stroke/types.ts'
import { rasterizePolygon, rasterizeStroke, type Outline } from '#shared/stroke/index.ts'
import {
  CONSTRUCTION_INK,
  CONSTRUCTION_STYLE,
  INK,
  PAPER,
  StrokePainter,
  type PaintContext,
  type Surface
} from '#renderer/canvas/painter.ts'
import {
  EMPTY_HISTORY,
  commit,
  opsToPaint,
  redo,
  undo,
  type DrawingOp,
  type History
} from '#shared/edit-history/index.ts'
import { inkOf } from './fake-api.ts'

const UNPAINTED = 2
const INK_CODE = 1
const PAPER_CODE = 0

/**
 * A canvas that paints without anti-aliasing: a fill covers exactly the pixels whose centres the
 * path's polygon holds (nonzero), which is what the evaluator's rasteriser computes. So the view
 * can be compared pixel for pixel with the ink the evaluator would see.
 */
class FakeSurface implements Surface {
  pixels: Uint8Array
  fills = 0
  private w: number
  private h: number
  private a = 1
  private d = 1
  private e = 0
  private f = 0
  private path: Outline = []
  readonly ctx: PaintContext
  /** A transparent canvas (construction lines): cleared, never filled with paper. */
  private readonly transparent: boolean
  constructor(width: number, height: number, transparent = false) {
    this.transparent = transparent
    this.w = width
    this.h = height
    this.pixels = new Uint8Array(width * height).fill(UNPAINTED)
    const ctx: PaintContext = {
      fillStyle: '#000',
      setTransform: (a, _b, _c, d, e, f) => Object.assign(this, { a, d, e, f }),
      fillRect: (x, y, w, h) => {
        for (let py = Math.max(0, y); py < Math.min(this.h, y + h); py++)
          for (let px = Math.max(0, x); px < Math.min(this.w, x + w); px++)
            this.pixels[py * this.w + px] = this.code(ctx.fillStyle)
      },
      clearRect: (x, y, w, h) => {
        if (!this.transparent) throw new Error('the drawing is ink on paper: nothing is ever cleared to transparent')
        for (let py = Math.max(0, y); py < Math.min(this.h, y + h); py++)
          for (let px = Math.max(0, x); px < Math.min(this.w, x + w); px++) this.pixels[py * this.w + px] = PAPER_CODE
      },
      beginPath: () => (this.path = []),
      moveTo: (x, y) => this.path.push([this.a * x + this.e, this.d * y + this.f]),
      lineTo: (x, y) => this.path.push([this.a * x + this.e, this.d * y + this.f]),
      closePath: () => {},
      fill: (rule) => {
        expect(rule).toBe('nonzero')
        this.fills++
        for (const p of rasterizePolygon(this.path, { width: this.w, height: this.h }))
          this.pixels[p] = this.code(ctx.fillStyle)
      },
      drawImage: (image, sx, sy, sw, sh, dx, dy, dw, dh) => {
        const src = image as unknown as FakeSurface
        expect([sw, sh, sx, sy]).toEqual([dw, dh, dx, dy])
        for (let y = sy; y < sy + sh; y++)
          for (let x = sx; x < sx + sw; x++) this.pixels[y * this.w + x] = src.pixels[y * src.w + x]
      }
    }
    this.ctx = ctx
  }
  get source(): CanvasImageSource {
    return this as unknown as CanvasImageSource
  }
  private code(style: unknown): number {
    if (style === (this.transparent ? CONSTRUCTION_INK : INK)) return INK_CODE
    if (style === PAPER && !this.transparent) return PAPER_CODE
    throw new Error(`unexpected colour ${String(style)}`)
  }
  get width(): number {
    return this.w
  }
  set width(v: number) {
    this.w = v
    this.pixels = new Uint8Array(this.w * this.h).fill(UNPAINTED)
  }
  get height(): number {
    return this.h
  }
  set height(v: number) {
    this.h = v
    this.pixels = new Uint8Array(this.w * this.h).fill(UNPAINTED)
  }
  inkSet(): Set<number> {
    if (this.pixels.includes(UNPAINTED)) throw new Error('part of the canvas was never painted')
    const s = new Set<number>()
    this.pixels.forEach((v, i) => {
      if (v === INK_CODE) s.add(i)
    })
    return s
  }
}

const FRAME = { width: 40, height: 30 }

function setup(frame = FRAME, scale = 1) {
  const view = new FakeSurface(frame.width * scale, frame.height * scale)
  const layer = new FakeSurface(1, 1)
  const frames: (() => void)[] = []
  const painter = new StrokePainter(view, layer, frame, (paint) => frames.push(paint))
  const nextFrame = (): void => {
    for (const paint of frames.splice(0)) paint()
  }
  return { view, layer, painter, nextFrame }
}

const pointArb = fc.record({
  x: fc.double({ min: -5, max: 45, noNaN: true }),
  y: fc.double({ min: -5, max: 35, noNaN: true }),
  pressure: fc.double({ min: 0, max: 1, noNaN: true }),
  tiltX: fc.constant(0),
  tiltY: fc.constant(0),
  t: fc.constant(0)
})
const strokeArb: fc.Arbitrary<Stroke> = fc.record({
  tool: fc.constantFrom<Stroke['tool'][]>('pen', 'pen', 'eraser'),
  size: fc.double({ min: 0.5, max: 10, noNaN: true }),
  points: fc.array(pointArb, { minLength: 1, maxLength: 12 })
})
type Action =
  | { type: 'stroke'; stroke: Stroke }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'clear' }
  | { type: 'live'; stroke: Stroke }
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: strokeArb.map((stroke) => ({ type: 'stroke' as const, stroke })), weight: 4 },
  { arbitrary: fc.constantFrom<Action>({ type: 'undo' }, { type: 'redo' }, { type: 'clear' }), weight: 2 },
  { arbitrary: strokeArb.map((stroke) => ({ type: 'live' as const, stroke })), weight: 1 }
)

describe('StrokePainter', () => {
  it('shows exactly the evaluator’s ink after any sequence of strokes, erasing, undo, redo and clear', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 25 }), (actions) => {
        const { view, painter, nextFrame } = setup()
        let h: History = EMPTY_HISTORY
        for (const a of actions) {
          if (a.type === 'live') {
            // A stroke in progress is shown over the drawing, then dropped.
            painter.setLive(a.stroke)
            nextFrame()
            const expected = inkOf(
              [...h.ops.slice(0, h.cursor), { kind: 'stroke', stroke: a.stroke }],
              h.cursor + 1,
              FRAME
            )
            expect(view.inkSet()).toEqual(expected)
            painter.setLive(null)
            nextFrame()
          } else {
            const op: DrawingOp | null =
              a.type === 'stroke' ? { kind: 'stroke', stroke: a.stroke } : a.type === 'clear' ? { kind: 'clear' } : null
            h = op ? commit(h, op) : a.type === 'undo' ? undo(h) : redo(h)
            painter.sync(opsToPaint(h))
            nextFrame()
          }
          expect(view.inkSet()).toEqual(inkOf(h.ops, h.cursor, FRAME))
        }
      }),
      { numRuns: 150 }
    )
  })

  it('paints an appended stroke alone, replays after undo, and paints only on the next frame', () => {
    const { view, layer, painter, nextFrame } = setup()
    const s1: Stroke = { tool: 'pen', size: 4, points: [pt(5, 5), pt(30, 20)] }
    const s2: Stroke = { tool: 'pen', size: 4, points: [pt(5, 25), pt(30, 5)] }
    let h = commit(EMPTY_HISTORY, { kind: 'stroke', stroke: s1 })
    painter.sync(opsToPaint(h))
    expect(view.inkSet().size).toBe(0) // nothing on screen until the frame
    nextFrame()
    expect(view.inkSet()).toEqual(new Set(rasterizeStroke(s1, FRAME)))
    layer.fills = 0
    h = commit(h, { kind: 'stroke', stroke: s2 })
    painter.sync(opsToPaint(h))
    expect(layer.fills).toBe(1)
    h = undo(h)
    painter.sync(opsToPaint(h))
    nextFrame()
    expect(layer.fills).toBe(2) // replayed s1 only
    expect(view.inkSet()).toEqual(new Set(rasterizeStroke(s1, FRAME)))
  })

  it('keeps the ink through a resize, drawn at the new scale', () => {
    const { view, painter, nextFrame } = setup()
    const s: Stroke = { tool: 'pen', size: 3, points: [pt(5, 5), pt(35, 25)] }
    painter.sync([{ kind: 'stroke', stroke: s }])
    nextFrame()
    const small = view.inkSet().size
    painter.resize(80, 60)
    expect(view.width).toBe(80)
    const large = view.inkSet().size // painted at once, no blank frame
    expect(large / small).toBeGreaterThan(3.4)
    expect(large / small).toBeLessThan(4.6)
  })
})

function pt(x: number, y: number): StrokePoint {
  return { x, y, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }
}

describe('the construction painter (transparent, over the drawing)', () => {
  it('shows exactly the construction lines since their last clear, in their own colour, never paper', () => {
    const penOnly = strokeArb.map((s): Stroke => ({ ...s, tool: 'pen' }))
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            penOnly.map((stroke) => ({ stroke })),
            fc.constant({ stroke: null })
          ),
          { maxLength: 12 }
        ),
        (actions) => {
          const view = new FakeSurface(FRAME.width, FRAME.height, true)
          const layer = new FakeSurface(1, 1, true)
          const frames: (() => void)[] = []
          const painter = new StrokePainter(view, layer, FRAME, (p) => frames.push(p), CONSTRUCTION_STYLE)
          let ops: DrawingOp[] = []
          for (const { stroke } of actions) {
            ops = stroke
              ? [...ops, { kind: 'stroke', layer: 'construction', stroke: { ...stroke, tool: 'pen' } }]
              : [...ops, { kind: 'clear', layer: 'construction' }]
            painter.sync(opsToPaint({ ops, cursor: ops.length }, 'construction'))
            if (stroke) painter.setLive(stroke)
            for (const paint of frames.splice(0)) paint()
            painter.setLive(null)
          }
          for (const paint of frames.splice(0)) paint()
          const expected = new Set<number>()
          for (const op of opsToPaint({ ops, cursor: ops.length }, 'construction'))
            if (op.kind === 'stroke') for (const p of rasterizeStroke(op.stroke, FRAME)) expected.add(p)
          expect(view.inkSet()).toEqual(expected)
        }
      ),
      { numRuns: 150 }
    )
  })
})
