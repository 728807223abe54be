// How big a stroke may be: the renderer splits a longer one (pen-input.ts), the main side refuses
// one over the limit (the stroke schema in src/main/api/attempts.ts).

/**
 * The most points one stroke carries. What a stroke costs before the evaluator sees it (its
 * outline, then the fill) grows with its points and, for the worst shapes, with how many rows each
 * segment crosses: a dense zigzag across the whole frame costs about 2 x 480 row crossings a
 * point. `npm run bench:strokes` on the shared 2-core VM this was built on (best of runs, under
 * its neighbours' load): ordinary pen strokes of 5,000 points in under 5 ms; the worst zigzag of
 * 5,000 in about 180 ms, of 20,000 in 0.8-1.4 s (a desktop is several times faster). 5,000 keeps
 * the worst stroke a hitch, not a freeze, while a pen at 240 Hz draws 20 s without a break (a
 * 1000 Hz mouse 5 s) before the renderer goes on with a new stroke from the same point.
 */
export const MAX_STROKE_POINTS = 5_000

/** The range of every number of a stroke: what the main side accepts, and what a stored stroke must be. */
export const STROKE_BOUNDS = {
  /** Nominal diameter, frame pixels. */
  size: [0.25, 400],
  x: [-20_000, 20_000],
  y: [-20_000, 20_000],
  pressure: [0, 1],
  tiltX: [-90, 90],
  tiltY: [-90, 90],
  /** Milliseconds since the stroke began: at most a day. */
  t: [0, 24 * 3600 * 1000]
} as const satisfies Record<string, readonly [number, number]>
