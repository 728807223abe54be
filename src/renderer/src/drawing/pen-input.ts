// Pointer events -> strokes in frame pixels. Knows about pens, erasers, barrel buttons, palm
// rejection, pressure (the artist's curve, and devices that report none) and the view mapping;
// knows nothing about painting or the API (the caller wires those).
import type { FrameSize } from '#shared/contract/app.ts'
import type { BarrelButton } from '#shared/contract/settings.ts'
import { curvePressure, isPlaceholderPressure, type PressureCurve } from '#shared/stroke/pressure.ts'
import type { Stroke, StrokePoint, Tool } from '#shared/stroke/types.ts'
import { MAX_STROKE_POINTS } from '#shared/stroke/limits.ts'
import { POINT_STEPS, snapPoint, snapValue } from '#shared/stroke/snap.ts'

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
  /** How a pen's pressure becomes width (default linear). */
  curve?: PressureCurve
  /** Default: the barrel button erases while held. */
  barrel?: BarrelButton
}

/** What a point records when its device has no pressure (a mouse, a finger, a pen in mouse mode): full width. */
export const CONSTANT_PRESSURE = 1
/** The pen's eraser end reports this bit in `buttons` while it touches. */
export const ERASER_BUTTONS = 32
/** The pen's (first) barrel button: the secondary button's bit. */
export const BARREL_BUTTONS = 2
/**
 * The most samples one stroke carries to the main side (its limit). A longer stroke (a fast
 * tablet held down a long time) goes on as a new stroke from the same point.
 */
export { MAX_STROKE_POINTS }

const clampTilt = (v: number | undefined): number => (Number.isFinite(v) ? Math.min(90, Math.max(-90, v as number)) : 0)
const rawPressure = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0)

/** The pressure a stroke carries: the curve applied, back on the point lattice (snap.ts). */
export const curved = (curve: PressureCurve, raw: number): number =>
  snapValue(curvePressure(curve, raw), POINT_STEPS.pressure)

/** A sample in frame pixels; `pressure` is the raw one (clamped), the caller applies the curve. */
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
    pressure: pen ? rawPressure(sample.pressure) : CONSTANT_PRESSURE,
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
  curve: PressureCurve
  stroke: Stroke
  /** The pen's own pressure of each point of `stroke`. */
  raw: number[]
  /** Whether the points carry the pen's pressure (through the curve) or the constant full width. */
  sensed: boolean
}

/**
 * One stroke at a time. A pen anywhere switches on pen-only mode: from then on touch never draws
 * (the palm resting on the screen). The eraser end (and the barrel button, if so set) erases
 * whatever tool is selected.
 *
 * Pressure: a pen counts as sensing pressure once it reports a value no pressure-less device
 * reports (isPlaceholderPressure) or a value that changes within a stroke; until then (a tablet
 * in mouse mode, Windows without Windows Ink, a driver that sends 0) it draws at constant full
 * width, like a mouse. A stroke that turns out to have pressure is redrawn with it from its start.
 */
export class PenInput {
  private active: ActiveStroke | null = null
  private penSeen = false
  private pressureSeen = false

  /** Whether a pen has been seen (touch no longer draws). */
  get penOnly(): boolean {
    return this.penSeen
  }

  /** Whether a pen has shown that it senses pressure. */
  get penPressure(): boolean {
    return this.pressureSeen
  }

  get drawing(): Stroke | null {
    return this.active?.stroke ?? null
  }

  /**
   * A pointer went down on the canvas: the new stroke, or null when this pointer does not draw.
   * `ended` is a stroke of the same pointer whose lift never arrived (it ends here, as drawn).
   */
  down(
    event: PointerLike,
    mapping: ViewMapping,
    settings: InputSettings
  ): { stroke: Stroke | null; ended: Stroke | null } {
    if (event.pointerType === 'pen') this.penSeen = true
    let ended: Stroke | null = null
    if (this.active) {
      if (this.active.pointerId !== event.pointerId) return { stroke: null, ended: null }
      ended = this.end()
    }
    if (event.pointerType === 'touch' && this.penSeen) return { stroke: null, ended }
    const pen = event.pointerType === 'pen'
    const eraserEnd = pen && (event.buttons & ERASER_BUTTONS) !== 0
    const barrel = pen && (settings.barrel ?? 'eraser') === 'eraser' && (event.buttons & BARREL_BUTTONS) !== 0
    // The primary button (or the pen tip / a finger), or the eraser end; never right or middle clicks.
    if (!eraserEnd && event.button !== 0) return { stroke: null, ended }
    const tool: Tool = eraserEnd || barrel ? 'eraser' : settings.tool
    const stroke: Stroke = { tool, size: settings.sizes[tool], points: [] }
    this.active = {
      pointerId: event.pointerId,
      pointerType: event.pointerType,
      t0: event.timeStamp,
      mapping,
      curve: settings.curve ?? 'linear',
      stroke,
      raw: [],
      sensed: pen && this.pressureSeen
    }
    this.add(this.active, event)
    return { stroke, ended }
  }

  /**
   * Samples since the last event (every coalesced one). `grew` when the stroke grew; `finished`
   * holds strokes that ended: one that reached MAX_STROKE_POINTS (the drawing goes on as a new
   * one, `drawing`, from its last point), or the stroke itself when the pointer moved with no
   * button down (its lift was lost: a stuck button is let go).
   */
  move(event: PointerLike): { grew: boolean; finished: Stroke[] } {
    const a = this.active
    if (!a || event.pointerId !== a.pointerId) return { grew: false, finished: [] }
    if (event.buttons === 0) return { grew: false, finished: [this.end()!] }
    // Synthetic events have no coalesced samples; then the event itself is the one sample.
    const coalesced = event.getCoalescedEvents?.() ?? []
    const samples = coalesced.length > 0 ? coalesced : [event]
    const finished: Stroke[] = []
    for (const s of samples) {
      if (a.stroke.points.length >= MAX_STROKE_POINTS) {
        finished.push(a.stroke)
        const last = a.stroke.points[a.stroke.points.length - 1]
        a.stroke = { tool: a.stroke.tool, size: a.stroke.size, points: [{ ...last, t: 0 }] }
        a.raw = [a.raw[a.raw.length - 1]]
        a.t0 += last.t
      }
      this.add(a, s)
    }
    return { grew: samples.length > 0, finished }
  }

  /**
   * The pointer lifted: the finished stroke. The lift's own position is not a sample (a pen
   * reports zero pressure as it lifts).
   */
  up(event: Pick<PointerLike, 'pointerId'>): Stroke | null {
    if (!this.active || event.pointerId !== this.active.pointerId) return null
    return this.end()
  }

  /**
   * The system cancelled the pointer (a gesture took it, the pen left without lifting): a pen's or
   * mouse's stroke ends as drawn, so what was seen stays; a finger's is dropped (a cancelled touch
   * is a gesture or a palm, not a line).
   */
  cancel(event: Pick<PointerLike, 'pointerId'>): Stroke | null {
    const a = this.active
    if (!a || event.pointerId !== a.pointerId) return null
    if (a.pointerType === 'touch') {
      this.active = null
      return null
    }
    return this.end()
  }

  /** End the stroke in progress as drawn (the window lost focus, capture was lost): it, or null. */
  end(): Stroke | null {
    const a = this.active
    this.active = null
    return a?.stroke ?? null
  }

  /** Drop the stroke in progress (a new attempt or reference began under it). */
  abandon(): void {
    this.active = null
  }

  private add(a: ActiveStroke, sample: PointerSample): void {
    const point = toFramePoint(sample, a.mapping, a.pointerType, a.t0)
    const raw = point.pressure
    if (
      a.pointerType === 'pen' &&
      !a.sensed &&
      (!isPlaceholderPressure(raw) || (a.raw.length > 0 && raw !== a.raw[0]))
    ) {
      // This pen senses pressure: from now on, and for this stroke from its first point.
      this.pressureSeen = true
      a.sensed = true
      a.stroke.points.forEach((p, i) => (p.pressure = curved(a.curve, a.raw[i])))
    }
    a.raw.push(raw)
    a.stroke.points.push({ ...point, pressure: a.sensed ? curved(a.curve, raw) : CONSTANT_PRESSURE })
  }
}
