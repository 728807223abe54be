// A linear history of any kind of op: every op ever committed, and a cursor; what is in effect is
// ops[0 .. cursor). Undo moves the cursor back, redo forward, a new op drops the redo tail.
// Values are immutable, so a snapshot is just a reference, and an edit that changes nothing
// returns the very history it was given.
import type { DrawingOp } from './ops.ts'

export interface History<Op = DrawingOp> {
  readonly ops: readonly Op[]
  readonly cursor: number
}

/** A drawing's empty history (a history of other ops starts as `{ ops: [], cursor: 0 }`). */
export const EMPTY_HISTORY: History = Object.freeze({ ops: Object.freeze([]) as readonly DrawingOp[], cursor: 0 })

/** Add an op at the cursor, dropping the redo tail. The op's type is the history's. */
export function commit<Op>(history: History<Op>, op: NoInfer<Op>): History<Op> {
  return commitInPlace({ ops: history.ops.slice(0, history.cursor), cursor: history.cursor }, op)
}

/**
 * commit() for a caller that owns `history.ops` (made it, and hands out no snapshot that shares
 * it): the array is truncated and extended in place, so folding a long journal stays linear.
 */
export function commitInPlace<Op>(history: History<Op>, op: NoInfer<Op>): History<Op> {
  const ops = history.ops as Op[]
  ops.length = history.cursor
  ops.push(op)
  return { ops, cursor: history.cursor + 1 }
}

export const canUndo = (history: History<unknown>): boolean => history.cursor > 0
export const canRedo = (history: History<unknown>): boolean => history.cursor < history.ops.length

export function undo<Op>(history: History<Op>): History<Op> {
  return canUndo(history) ? { ops: history.ops, cursor: history.cursor - 1 } : history
}

export function redo<Op>(history: History<Op>): History<Op> {
  return canRedo(history) ? { ops: history.ops, cursor: history.cursor + 1 } : history
}

/** The ops in effect now, oldest first. */
export function visibleOps<Op>(history: History<Op>): readonly Op[] {
  return history.ops.slice(0, history.cursor)
}
