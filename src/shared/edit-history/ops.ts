// What a drawing's history is made of. An op is something the drawing shows (a stroke, or a clear
// that wipes what came before); an edit is what the artist did and the journal records: an op
// committed, or an undo or redo of one.
//
// Room for a second layer (faint construction lines, drawn but not scored): its strokes and its
// clear would be ops that name their layer (absent: the drawing, so journals stay valid). The
// timeline (history.ts: commit, undo, redo; journal.ts: the fold) stays as it is, one for both
// layers, so undo takes back the last edit whichever layer it drew on. What is painted, cleared
// and counted becomes per layer (drawing.ts: opsToPaint, canClear, strokeCount take the layer),
// showing or hiding a layer is the painter's business, not the history's, and only scored ops
// reach the evaluator: the attempt service would send an undo or redo on only when the op it
// moves over (ops[cursor - 1], ops[cursor]) is scored, and rebuild sessions from scored ops.
import type { Stroke } from '../stroke/types.ts'

/** One op of the history. A pen stroke adds its pixels, an eraser stroke clears them, clear empties the drawing. */
export type DrawingOp = { kind: 'stroke'; stroke: Stroke } | { kind: 'clear' }

/** One edit, as the studio sends it and the journal records it. */
export type Edit = DrawingOp | { kind: 'undo' } | { kind: 'redo' }
