// The history of a drawing: what an edit does to it, and what each layer shows (ops.ts: the
// scored drawing and the construction lines share one timeline).
import { layerOf, type DrawingOp, type Edit, type Layer } from './ops.ts'
import { commit, redo, undo, visibleOps, type History } from './history.ts'

const CLEARS: Record<Layer, DrawingOp> = {
  drawing: Object.freeze({ kind: 'clear' }),
  construction: Object.freeze({ kind: 'clear', layer: 'construction' })
}

/** Empty a layer, as one undoable op (whether there is anything to clear is the caller's question: canClear). */
export const clear = (history: History, layer: Layer = 'drawing'): History => commit(history, CLEARS[layer])

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

/** The ops of a layer a repaint must replay: its visible ops after its last visible clear (earlier ink is wiped). */
export function opsToPaint(history: History, layer: Layer = 'drawing'): readonly DrawingOp[] {
  const ops = visibleOps(history).filter((op) => layerOf(op) === layer)
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i].kind === 'clear') return ops.slice(i + 1)
  return ops
}

/** Whether a layer has a stroke since its last clear (clearing an empty layer is not an edit the studio offers). */
export const canClear = (history: History, layer: Layer = 'drawing'): boolean =>
  opsToPaint(history, layer).some((op) => op.kind === 'stroke')

/** Strokes (pen and eraser) of a layer drawn in the visible history, clears not counted. */
export function strokeCount(history: History, layer: Layer = 'drawing'): number {
  let n = 0
  for (let i = 0; i < history.cursor; i++) {
    const op = history.ops[i]
    if (op.kind === 'stroke' && layerOf(op) === layer) n++
  }
  return n
}
