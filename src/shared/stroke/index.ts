// Stroke geometry shared by the canvas (painting) and the evaluator (rasterising).
export { strokeOutline, type Outline } from './outline.ts'
export { rasterizePolygon, rasterizeStroke, crossingX } from './rasterize.ts'
