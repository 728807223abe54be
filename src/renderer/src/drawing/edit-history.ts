// The drawing's linear history, the same model as the attempt contract: every op ever committed,
// and a cursor; the drawing is ops[0 .. cursor). Undo moves the cursor back, redo forward, a new
// op drops the redo tail. Values are immutable, so a snapshot is just a reference.
import type { DrawingOp } from '#shared/contract/attempts.ts'

export interface History {
  readonly ops: readonly DrawingOp[]
  readonly cursor: number
}

export const EMPTY_HISTORY: History = Object.freeze({ ops: Object.freeze([]) as readonly DrawingOp[], cursor: 0 })

export function commit(history: History, op: DrawingOp): History {
  return { ops: [...history.ops.slice(0, history.cursor), op], cursor: history.cursor + 1 }
}

export const canUndo = (history: History): boolean => history.cursor > 0
export const canRedo = (history: History): boolean => history.cursor < history.ops.length

export function undo(history: History): History {
  return canUndo(history) ? { ops: history.ops, cursor: history.cursor - 1 } : history
}

export function redo(history: History): History {
  return canRedo(history) ? { ops: history.ops, cursor: history.cursor + 1 } : history
}

/** The ops that make up the drawing now, oldest first. */
export function visibleOps(history: History): readonly DrawingOp[] {
  return history.ops.slice(0, history.cursor)
}

/** The ops a repaint must replay: everything after the last visible clear (earlier ink is wiped). */
export function opsToPaint(history: History): readonly DrawingOp[] {
  const ops = visibleOps(history)
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i].kind === 'clear') return ops.slice(i + 1)
  return ops
}

/** Whether there is a stroke since the last clear (clearing an empty drawing is not an edit). */
export const canClear = (history: History): boolean => opsToPaint(history).some((op) => op.kind === 'stroke')

/** Strokes (pen and eraser) drawn in the visible history, clears not counted. */
export function strokeCount(history: History): number {
  let n = 0
  for (const op of visibleOps(history)) if (op.kind === 'stroke') n++
  return n
}
