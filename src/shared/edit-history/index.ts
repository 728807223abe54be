// The one model of a drawing's edit history, shared by the studio (renderer), the attempt
// service (main), both replays and the tests. Pure: no Node, DOM or framework.
export { isScored, layerOf, type ConstructionStroke, type DrawingOp, type Edit, type Layer } from './ops.ts'
export { EMPTY_HISTORY, canRedo, canUndo, commit, redo, undo, visibleOps, type History } from './history.ts'
export { applyEdit, canClear, clear, opsToPaint, strokeCount } from './drawing.ts'
export { scoredHistory, touchesScored } from './scored.ts'
export { foldJournal, journalHistories, type RecordedEdit } from './journal.ts'
