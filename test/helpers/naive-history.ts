// The obviously correct model of a drawing's history, for tests of src/shared/edit-history: a list
// of snapshots of the whole visible op list and which one is shown. Undo shows the one before,
// redo the one after; a new op forgets the ones after and adds a copy with the op appended. Slow
// and simple on purpose: nothing here shares code or representation with the model under test.
import type { DrawingOp, Edit, Layer } from '#shared/edit-history/index.ts'

const layerOf = (op: DrawingOp): Layer => ('layer' in op && op.layer === 'construction' ? 'construction' : 'drawing')

export class NaiveHistory {
  snapshots: DrawingOp[][] = [[]]
  at = 0

  /** Apply an edit; false (and nothing changes) for an undo or redo with nothing to act on. */
  apply(edit: Edit): boolean {
    if (edit.kind === 'undo') {
      if (this.at === 0) return false
      this.at--
    } else if (edit.kind === 'redo') {
      if (this.at === this.snapshots.length - 1) return false
      this.at++
    } else {
      this.snapshots = this.snapshots.slice(0, this.at + 1)
      this.snapshots.push([...this.snapshots[this.at], edit])
      this.at++
    }
    return true
  }

  /** What the drawing is made of now. */
  get visible(): DrawingOp[] {
    return this.snapshots[this.at]
  }

  /** Every op kept, the undone ones too: the newest snapshot (each one extends the one before). */
  get all(): DrawingOp[] {
    return this.snapshots[this.snapshots.length - 1]
  }

  get canUndo(): boolean {
    return this.at > 0
  }

  get canRedo(): boolean {
    return this.at < this.snapshots.length - 1
  }

  /** A layer's visible ops after its last visible clear. */
  sinceClear(layer: Layer = 'drawing'): DrawingOp[] {
    const v = this.visible.filter((op) => layerOf(op) === layer)
    let from = 0
    v.forEach((op, i) => {
      if (op.kind === 'clear') from = i + 1
    })
    return v.slice(from)
  }

  strokes(layer: Layer = 'drawing'): number {
    return this.visible.filter((op) => op.kind === 'stroke' && layerOf(op) === layer).length
  }
}

/** Fold edits into the naive model; the index of the first edit that cannot apply, if any. */
export function naiveFold(edits: readonly Edit[]): { history: NaiveHistory; refused: number | null } {
  const history = new NaiveHistory()
  for (let i = 0; i < edits.length; i++) if (!history.apply(edits[i])) return { history, refused: i }
  return { history, refused: null }
}
