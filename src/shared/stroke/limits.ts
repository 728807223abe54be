// How big a stroke may be: the renderer splits a longer one (pen-input.ts), the main side refuses
// one over the limit (the stroke schema in src/main/api/attempts.ts).

/**
 * The most points one stroke carries. What a stroke costs before the evaluator sees it (its
 * outline, then the fill) grows with its points and, for the worst shapes, with how far each
 * segment reaches; `npm run bench:strokes` measures both and this limit keeps the worst stroke
 * (a dense zigzag across the whole frame) within its budget.
 */
export const MAX_STROKE_POINTS = 20_000

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
