// Pointer events -> strokes in frame pixels. Knows about pens, erasers, palm rejection and the
// view mapping; knows nothing about painting or the API (the caller wires those).
import type { FrameSize } from '#shared/contract/app.ts'
import type { Stroke, StrokePoint, Tool } from '#shared/stroke/types.ts'
import { MAX_STROKE_POINTS } from '#shared/stroke/limits.ts'
import { snapPoint } from '#shared/stroke/snap.ts'

/** The parts of a PointerEvent a sample needs (coalesced events have them too). */
export interface PointerSample {
  clientX: number
  clientY: number
  pressure: number
  tiltX?: number
  tiltY?: number
  timeStamp: number
}

export interface PointerLike extends PointerSample {
  pointerId: number
  pointerType: string
  button: number
  buttons: number
  getCoalescedEvents?: () => PointerSample[]
}

/** Where the canvas is on screen and how the view shows the frame. */
export interface ViewMapping {
  rect: { left: number; top: number; width: number; height: number }
  frame: FrameSize
  /** Mirrored left-right for viewing; strokes stay in the unflipped frame. */
  flipped: boolean
}

export interface InputSettings {
  tool: Tool
  /** Nominal diameter of each tool, in frame pixels. */
  sizes: Record<Tool, number>
}

/** What a mouse or a finger records as pressure: both draw with a constant width. */
export const CONSTANT_PRESSURE = 0.5
/** The pen's eraser end reports this bit in `buttons` while it touches. */
export const ERASER_BUTTONS = 32
/**
 * The most samples one stroke carries to the main side (its limit). A longer stroke (a fast
 * tablet held down a long time) goes on as a new stroke from the same point.
 */
export { MAX_STROKE_POINTS }

const clampTilt = (v: number | undefined): number => (Number.isFinite(v) ? Math.min(90, Math.max(-90, v as number)) : 0)

export function toFramePoint(
  sample: PointerSample,
  mapping: ViewMapping,
  pointerType: string,
  t0: number
): StrokePoint {
  const { rect, frame } = mapping
  let x = ((sample.clientX - rect.left) / rect.width) * frame.width
  const y = ((sample.clientY - rect.top) / rect.height) * frame.height
  if (mapping.flipped) x = frame.width - x
  const pen = pointerType === 'pen'
  // On the point lattice the main side scores and stores (snap.ts): the ink painted here is made
  // from the very numbers the score and the history use.
  return snapPoint({
    x,
    y,
    pressure: pen
      ? Math.min(1, Math.max(0, Number.isFinite(sample.pressure) ? sample.pressure : CONSTANT_PRESSURE))
      : CONSTANT_PRESSURE,
    tiltX: pen ? clampTilt(sample.tiltX) : 0,
    tiltY: pen ? clampTilt(sample.tiltY) : 0,
    t: Math.max(0, sample.timeStamp - t0)
  })
}

interface ActiveStroke {
  pointerId: number
  pointerType: string
  t0: number
  mapping: ViewMapping
  stroke: Stroke
}

/**
 * One stroke at a time. A pen anywhere switches on pen-only mode: from then on touch never draws
 * (the palm resting on the screen). The eraser end erases whatever tool is selected.
 */
export class PenInput {
  private active: ActiveStroke | null = null
  private penSeen = false

  /** Whether a pen has been seen (touch no longer draws). */
  get penOnly(): boolean {
    return this.penSeen
  }

  get drawing(): Stroke | null {
    return this.active?.stroke ?? null
  }

  /** A pointer went down on the canvas: the new stroke, or null when this pointer does not draw. */
  down(event: PointerLike, mapping: ViewMapping, settings: InputSettings): Stroke | null {
    if (event.pointerType === 'pen') this.penSeen = true
    if (this.active) return null
    if (event.pointerType === 'touch' && this.penSeen) return null
    const eraserEnd = event.pointerType === 'pen' && (event.buttons & ERASER_BUTTONS) !== 0
    // The primary button (or the pen tip / a finger), or the eraser end; never right or middle clicks.
    if (!eraserEnd && event.button !== 0) return null
    const tool: Tool = eraserEnd ? 'eraser' : settings.tool
    const stroke: Stroke = { tool, size: settings.sizes[tool], points: [] }
    this.active = { pointerId: event.pointerId, pointerType: event.pointerType, t0: event.timeStamp, mapping, stroke }
    stroke.points.push(toFramePoint(event, mapping, event.pointerType, event.timeStamp))
    return stroke
  }

  /**
   * Samples since the last event (every coalesced one). `grew` when the stroke grew; `finished`
   * holds a stroke that reached MAX_STROKE_POINTS and ended, the drawing going on as a new one
   * (`drawing`) from its last point.
   */
  move(event: PointerLike): { grew: boolean; finished: Stroke[] } {
    const a = this.active
    if (!a || event.pointerId !== a.pointerId) return { grew: false, finished: [] }
    // Synthetic events have no coalesced samples; then the event itself is the one sample.
    const coalesced = event.getCoalescedEvents?.() ?? []
    const samples = coalesced.length > 0 ? coalesced : [event]
    const finished: Stroke[] = []
    for (const s of samples) {
      if (a.stroke.points.length >= MAX_STROKE_POINTS) {
        finished.push(a.stroke)
        const last = a.stroke.points[a.stroke.points.length - 1]
        a.stroke = { tool: a.stroke.tool, size: a.stroke.size, points: [{ ...last, t: 0 }] }
        a.t0 += last.t
      }
      a.stroke.points.push(toFramePoint(s, a.mapping, a.pointerType, a.t0))
    }
    return { grew: samples.length > 0, finished }
  }

  /**
   * The pointer lifted (or was cancelled): the finished stroke. The lift's own position is not a
   * sample (a pen reports zero pressure as it lifts).
   */
  up(event: Pick<PointerLike, 'pointerId'>): Stroke | null {
    const a = this.active
    if (!a || event.pointerId !== a.pointerId) return null
    this.active = null
    return a.stroke
  }

  /** Drop the stroke in progress (a new attempt or reference began under it). */
  abandon(): void {
    this.active = null
  }
}
