// The one outline of a stroke: the canvas fills it, and the evaluator rasterises it, so the score
// is about exactly the ink the user sees. Pure: no DOM, no Node.
import { getStroke, type StrokeOptions } from 'perfect-freehand'
import type { Stroke } from './types.ts'

/** A closed polygon, [x, y] in frame pixels; filled with the nonzero rule. */
export type Outline = [number, number][]

/** How much pressure narrows the line: 0 = none, 1 = a hairline at zero pressure. */
const THINNING = 0.5
/**
 * The smallest radius a stroke may have anywhere, in frame pixels. A disc of this radius (even as
 * perfect-freehand's 13-gon with a vertex missing) always covers a pixel centre, and a band this
 * wide covers one in every row or column it crosses: a light touch or a dot always leaves ink,
 * and a thin line has no gaps.
 */
const MIN_RADIUS_PX = 0.85

/**
 * perfect-freehand's radius is size * (0.5 - thinning * (0.5 - pressure)), i.e. size * (1 +
 * thinning) / 2 at full pressure; `Stroke.size` is the diameter at full pressure.
 */
function freehandOptions(stroke: Stroke): StrokeOptions {
  const size = stroke.size / (1 + THINNING)
  const minT = MIN_RADIUS_PX / size
  return {
    size,
    thinning: THINNING,
    // Little smoothing and streamlining: this is accuracy training, the ink stays where the pen was.
    smoothing: 0.5,
    streamline: 0.25,
    easing: (t) => Math.max(t, minT),
    // Pens report real pressure, a mouse a constant one (the renderer records 0.5): never simulate.
    simulatePressure: false,
    start: { cap: true, taper: 0 },
    end: { cap: true, taper: 0 },
    // Always a finished stroke, so the ink painted while drawing is the ink that is scored.
    last: true
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
