// Stroke points on a fine binary lattice: positions in 1/256 frame pixel, pressure in 1/65536,
// tilt in 1/64 degree, time in 1/1024 ms. Finer than any pen or pointer reports (Chromium's pointer
// positions are 1/64 CSS pixel at best, timestamps 5 microseconds), so snapping changes no stroke
// anyone can see, and every value is a small integer over a power of two: exact as a double and
// stored as an integer (src/main/history/points.ts), which keeps the history small and lossless.
// The renderer snaps each sample as it arrives and the main side snaps every stroke it is sent
// (the same function: snapping twice changes nothing), so the ink painted, scored and stored is
// made from the very same numbers.
import type { Stroke, StrokePoint } from './types.ts'

/** Steps per unit of each field (powers of two). */
export const POINT_STEPS = {
  x: 256,
  y: 256,
  pressure: 65536,
  tiltX: 64,
  tiltY: 64,
  t: 1024
} as const satisfies Record<keyof StrokePoint, number>

export const POINT_FIELDS = [
  'x',
  'y',
  'pressure',
  'tiltX',
  'tiltY',
  't'
] as const satisfies readonly (keyof StrokePoint)[]

/** The nearest lattice value (halves round up); -0 becomes 0. Non-finite values pass unchanged. */
export function snapValue(value: number, steps: number): number {
  if (!Number.isFinite(value)) return value
  return Math.round(value * steps) / steps + 0
}

export function snapPoint(p: StrokePoint): StrokePoint {
  return {
    x: snapValue(p.x, POINT_STEPS.x),
    y: snapValue(p.y, POINT_STEPS.y),
    pressure: snapValue(p.pressure, POINT_STEPS.pressure),
    tiltX: snapValue(p.tiltX, POINT_STEPS.tiltX),
    tiltY: snapValue(p.tiltY, POINT_STEPS.tiltY),
    t: snapValue(p.t, POINT_STEPS.t)
  }
}

export function snapStroke(stroke: Stroke): Stroke {
  return { tool: stroke.tool, size: stroke.size, points: stroke.points.map(snapPoint) }
}
