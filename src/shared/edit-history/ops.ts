// What a drawing's history is made of. An op is something the drawing shows (a stroke, or a clear
// that wipes what came before); an edit is what the artist did and the journal records: an op
// committed, or an undo or redo of one.
//
// Two layers share one timeline. The drawing (scored) is every op without a `layer`, so journals
// written before construction lines existed stay valid; construction lines (a light sketch, shown
// faintly, never scored) are ops with `layer: 'construction'`: pen strokes and their own clear,
// nothing else (the eraser works on the drawing only). Undo takes back the last edit whichever
// layer it drew on; what is painted, cleared and counted is per layer (drawing.ts), and only
// drawing ops reach the evaluator (scored.ts).
import type { Stroke } from '../stroke/types.ts'

export type Layer = 'drawing' | 'construction'

/** A construction line: always a pen stroke (there is no construction eraser). */
export type ConstructionStroke = Stroke & { tool: 'pen' }

/** One op of the history. A pen stroke adds its pixels, an eraser stroke clears them, clear empties its layer. */
export type DrawingOp =
  | { kind: 'stroke'; stroke: Stroke; layer?: undefined }
  | { kind: 'clear'; layer?: undefined }
  | { kind: 'stroke'; stroke: ConstructionStroke; layer: 'construction' }
  | { kind: 'clear'; layer: 'construction' }

/** One edit, as the studio sends it and the journal records it. */
export type Edit = DrawingOp | { kind: 'undo' } | { kind: 'redo' }

/** The layer an op draws on. */
export const layerOf = (op: DrawingOp): Layer => op.layer ?? 'drawing'

/** Whether an op is part of the scored drawing (what the evaluator sees). */
export const isScored = (op: DrawingOp): boolean => op.layer === undefined
