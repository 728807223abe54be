// The history of a drawing: what an edit does to it, and what it shows. One layer today (the
// scored drawing); see ops.ts for how a second one would fit.
import type { DrawingOp, Edit } from './ops.ts'
import { commit, redo, undo, visibleOps, type History } from './history.ts'

const CLEAR: DrawingOp = Object.freeze({ kind: 'clear' })

/** Empty the drawing, as one undoable op (whether there is anything to clear is the caller's question: canClear). */
export const clear = (history: History): History => commit(history, CLEAR)

/** What an edit does to the history; an undo or redo with nothing to act on returns it unchanged. */
export function applyEdit(history: History, edit: Edit): History {
  switch (edit.kind) {
    case 'undo':
      return undo(history)
    case 'redo':
      return redo(history)
    case 'stroke':
    case 'clear':
      return commit(history, edit)
  }
}

/** The ops a repaint must replay: everything after the last visible clear (earlier ink is wiped). */
export function opsToPaint(history: History): readonly DrawingOp[] {
  const ops = visibleOps(history)
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i].kind === 'clear') return ops.slice(i + 1)
  return ops
}

/** Whether there is a stroke since the last clear (clearing an empty drawing is not an edit the studio offers). */
export const canClear = (history: History): boolean => opsToPaint(history).some((op) => op.kind === 'stroke')

/** Strokes (pen and eraser) drawn in the visible history, clears not counted. */
export function strokeCount(history: History): number {
  let n = 0
  for (let i = 0; i < history.cursor; i++) if (history.ops[i].kind === 'stroke') n++
  return n
}
