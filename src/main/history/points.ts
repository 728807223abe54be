// Stroke points as a BLOB: six little-endian Float64 per point (x, y, pressure, tiltX, tiltY, t).
// Recovery re-rasterises the drawing from these points, so they must come back bit-identical:
// no rounding, no JSON, a fixed byte order whatever the machine.
import type { StrokePoint } from '#shared/stroke/types.ts'

const FIELDS = 6
export const BYTES_PER_POINT = FIELDS * 8

export function packPoints(points: readonly StrokePoint[]): Uint8Array {
  const bytes = new Uint8Array(points.length * BYTES_PER_POINT)
  const view = new DataView(bytes.buffer)
  let o = 0
  for (const p of points) {
    view.setFloat64(o, p.x, true)
    view.setFloat64(o + 8, p.y, true)
    view.setFloat64(o + 16, p.pressure, true)
    view.setFloat64(o + 24, p.tiltX, true)
    view.setFloat64(o + 32, p.tiltY, true)
    view.setFloat64(o + 40, p.t, true)
    o += BYTES_PER_POINT
  }
  return bytes
}

/** Throws if the BLOB is not a whole number of points (a damaged row). */
export function unpackPoints(bytes: Uint8Array): StrokePoint[] {
  if (bytes.length % BYTES_PER_POINT !== 0) {
    throw new RangeError(`a stroke's points are ${bytes.length} bytes, not a multiple of ${BYTES_PER_POINT}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const points: StrokePoint[] = new Array(bytes.length / BYTES_PER_POINT)
  for (let i = 0, o = 0; i < points.length; i++, o += BYTES_PER_POINT) {
    points[i] = {
      x: view.getFloat64(o, true),
      y: view.getFloat64(o + 8, true),
      pressure: view.getFloat64(o + 16, true),
      tiltX: view.getFloat64(o + 24, true),
      tiltY: view.getFloat64(o + 32, true),
      t: view.getFloat64(o + 40, true)
    }
  }
  return points
}
