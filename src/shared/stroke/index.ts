// Stroke geometry shared by the canvas (painting) and the evaluator (rasterising).
export { strokeOutline, freehandOptions, MIN_RADIUS_PX, THINNING, type Outline } from './outline.ts'
export { rasterizePolygon, rasterizeStroke, crossingX } from './rasterize.ts'
