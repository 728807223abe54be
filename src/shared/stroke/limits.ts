// How big a stroke may be: the renderer splits a longer one (pen-input.ts), the main side refuses
// one over the limit (the stroke schema in src/main/api/attempts.ts).

/**
 * The most points one stroke carries. What a stroke costs before the evaluator sees it (its
 * outline, then the fill) grows with its points and, for the worst shapes, with how far each
 * segment reaches; `npm run bench:strokes` measures both and this limit keeps the worst stroke
 * (a dense zigzag across the whole frame) within its budget.
 */
export const MAX_STROKE_POINTS = 20_000
