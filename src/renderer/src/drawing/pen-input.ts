// Pointer events -> strokes in frame pixels. Knows about pens, erasers, palm rejection and the
// view mapping; knows nothing about painting or the API (the caller wires those).
import type { FrameSize } from '../../../shared/contract/app.ts'
import type { Stroke, StrokePoint, Tool } from '../../../shared/stroke.ts'

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

export function toFramePoint(sample: PointerSample, mapping: ViewMapping, pointerType: string, t0: number): StrokePoint {
  const { rect, frame } = mapping
  let x = ((sample.clientX - rect.left) / rect.width) * frame.width
  const y = ((sample.clientY - rect.top) / rect.height) * frame.height
  if (mapping.flipped) x = frame.width - x
  const pen = pointerType === 'pen'
  return {
    x,
    y,
    pressure: pen ? Math.min(1, Math.max(0, Number.isFinite(sample.pressure) ? sample.pressure : CONSTANT_PRESSURE)) : CONSTANT_PRESSURE,
    tiltX: pen ? (sample.tiltX ?? 0) : 0,
    tiltY: pen ? (sample.tiltY ?? 0) : 0,
    t: Math.max(0, sample.timeStamp - t0)
  }
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

  /** Samples since the last event (every coalesced one); true when the stroke grew. */
  move(event: PointerLike): boolean {
    const a = this.active
    if (!a || event.pointerId !== a.pointerId) return false
    // Synthetic events have no coalesced samples; then the event itself is the one sample.
    const coalesced = event.getCoalescedEvents?.() ?? []
    const samples = coalesced.length > 0 ? coalesced : [event]
    for (const s of samples) a.stroke.points.push(toFramePoint(s, a.mapping, a.pointerType, a.t0))
    return samples.length > 0
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
