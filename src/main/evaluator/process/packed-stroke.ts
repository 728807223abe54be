// A stroke as it travels to the evaluation process, which rasterises it there (off the thread
// that serves the studio): its points as one Float64Array, six numbers a point, which a port
// copies in one piece where an array of point objects would be cloned object by object. Float64
// holds every number exactly, so the process rasterises the very stroke the history keeps.
import type { Stroke, StrokePoint, Tool } from '#shared/stroke/types.ts'

export interface PackedStroke {
  tool: Tool
  size: number
  /** x, y, pressure, tiltX, tiltY, t for each point in turn. */
  points: Float64Array
}

const FIELDS = 6

export function packStroke(stroke: Stroke): PackedStroke {
  const points = new Float64Array(stroke.points.length * FIELDS)
  let i = 0
  for (const p of stroke.points) {
    points[i++] = p.x
    points[i++] = p.y
    points[i++] = p.pressure
    points[i++] = p.tiltX
    points[i++] = p.tiltY
    points[i++] = p.t
  }
  return { tool: stroke.tool, size: stroke.size, points }
}

/** Throws on a packing no packStroke made (points not a whole number of six). */
export function unpackStroke(packed: PackedStroke): Stroke {
  const { points } = packed
  if (!(points instanceof Float64Array) || points.length % FIELDS !== 0)
    throw new Error('a packed stroke holds six numbers a point')
  const out: StrokePoint[] = new Array(points.length / FIELDS)
  for (let k = 0, i = 0; i < points.length; k++, i += FIELDS)
    out[k] = {
      x: points[i],
      y: points[i + 1],
      pressure: points[i + 2],
      tiltX: points[i + 3],
      tiltY: points[i + 4],
      t: points[i + 5]
    }
  return { tool: packed.tool, size: packed.size, points: out }
}
