// The one outline of a stroke: the canvas fills it, and the evaluator rasterises it, so the score
// is about exactly the ink the user sees. Pure: no DOM, no Node.
import { getStroke, type StrokeOptions } from 'perfect-freehand'
import type { Stroke } from './types.ts'

/** A closed polygon, [x, y] in frame pixels; filled with the nonzero rule. */
export type Outline = [number, number][]

/**
 * A pen line's width at zero pressure, in frame pixels: a hairline. The width grows linearly with
 * the point's pressure to the tool's size at full pressure: w(p) = HAIRLINE + (size - HAIRLINE) * p.
 * A line thinner than 1 px covers the centres of only some of the pixels it crosses, and is
 * scored as exactly those (on screen it is as faint as it is thin).
 */
export const HAIRLINE_PX = 0.5
/**
 * The smallest radius of a dot (a stroke whose points all lie within DOT_EXTENT_PX of its
 * first): a disc this wide, even as perfect-freehand's 13-gon with a vertex missing, always covers
 * the centre of the pixel the pen touched, so a tap always leaves ink however light.
 */
const MIN_DOT_RADIUS_PX = 0.85
const DOT_EXTENT_PX = 1

/** A pen line's width at a pressure (the pressure curve is already in the point's pressure). */
export function penWidth(size: number, pressure: number): number {
  if (!(size > HAIRLINE_PX)) return size
  const p = Math.min(1, Math.max(0, pressure))
  return HAIRLINE_PX + (size - HAIRLINE_PX) * p
}

function isDot(stroke: Stroke): boolean {
  const { x, y } = stroke.points[0]
  return stroke.points.every((p) => Math.hypot(p.x - x, p.y - y) <= DOT_EXTENT_PX)
}

function freehandOptions(stroke: Stroke): StrokeOptions {
  const dot = isDot(stroke)
  const minRadius = dot ? MIN_DOT_RADIUS_PX : 0
  const shared = {
    // Little smoothing and streamlining: this is accuracy training, the ink stays where the pen was.
    smoothing: 0.5,
    streamline: 0.25,
    // Pens report real pressure, a mouse is recorded at full pressure: never simulate.
    simulatePressure: false,
    start: { cap: true, taper: 0 },
    end: { cap: true, taper: 0 },
    // Always a finished stroke, so the ink painted while drawing is the ink that is scored.
    last: true
  } satisfies StrokeOptions
  if (stroke.tool === 'eraser') {
    // An eraser is its full size whatever the pressure (without thinning perfect-freehand's
    // radius is size / 2).
    const size = Math.max(stroke.size, 2 * minRadius)
    return { ...shared, size, thinning: 0 }
  }
  // With thinning 1 perfect-freehand's radius is size * easing(pressure): size = S / 2 and
  // easing(p) = w(p) / S give the radius w(p) / 2.
  const size = stroke.size / 2
  return {
    ...shared,
    size,
    thinning: 1,
    easing: (p) => Math.max(penWidth(stroke.size, p) / 2, minRadius) / size
  }
}

/** The outline polygon of a stroke (empty for a stroke without points). */
export function strokeOutline(stroke: Stroke): Outline {
  if (stroke.points.length === 0 || !(stroke.size > 0)) return []
  const input = stroke.points.map((p) => [p.x, p.y, p.pressure])
  // perfect-freehand turns a lone point into a 1 px diagonal dash; a repeated point gives a dot
  // centred where the pen touched.
  if (input.length === 1) input.push(input[0])
  return getStroke(input, freehandOptions(stroke)) as Outline
}
