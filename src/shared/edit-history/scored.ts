// What the evaluator sees of a history: the scored ops only (ops.ts), in order, with the cursor
// counted among them. Construction ops are drawn and undone like any other, but an edit that only
// touches them changes no score, so it is never sent to the evaluator.
import { isScored, type DrawingOp, type Edit } from './ops.ts'
import type { History } from './history.ts'

/** The scored drawing's own history: its ops, and how many of them are in effect. */
export function scoredHistory(history: History): History {
  const ops: DrawingOp[] = []
  let cursor = 0
  history.ops.forEach((op, i) => {
    if (!isScored(op)) return
    ops.push(op)
    if (i < history.cursor) cursor++
  })
  return { ops, cursor }
}

/**
 * Whether applying `edit` to `history` changes the scored drawing: a scored op committed, or an
 * undo or redo that moves over a scored op. (An undo or redo with nothing to act on: false.)
 *
 * Committing a construction op can drop a redo tail that holds scored ops; the evaluator keeps
 * them as its own redo tail, which no later edit can reach (a scored redo needs a scored op in
 * this history's tail, and any scored commit drops the evaluator's tail too), and a rebuilt
 * session (scoredHistory) has none.
 */
export function touchesScored(history: History, edit: Edit): boolean {
  switch (edit.kind) {
    case 'undo':
      return history.cursor > 0 && isScored(history.ops[history.cursor - 1])
    case 'redo':
      return history.cursor < history.ops.length && isScored(history.ops[history.cursor])
    case 'stroke':
    case 'clear':
      return isScored(edit)
  }
}
