// Rebuilding a drawing's history from its journal (one entry per edit, numbered 1, 2, 3, ...),
// by the same rules the live studio and attempt service apply (drawing.ts). The studio never
// records an undo with nothing to undo, a redo with nothing to redo, or a gap in the numbering:
// a journal that has one is damaged, and is refused with the entry named.
import type { Edit } from './ops.ts'
import { EMPTY_HISTORY, canRedo, canUndo, commitInPlace, type History } from './history.ts'
import { applyEdit } from './drawing.ts'

/** What the fold needs of a journal entry (the history contract's JournalEntry is one). */
export interface RecordedEdit {
  readonly seq: number
  readonly op: Edit
}

/** The history after every entry, each passed to `visit` as it is reached; the last one is returned. */
export function foldJournal(
  entries: readonly RecordedEdit[],
  visit?: (history: History, entry: RecordedEdit) => void
): History {
  let h: History = EMPTY_HISTORY
  // Without a visitor nobody sees the steps in between, so the fold may grow one array of its
  // own in place (linear in the journal) instead of copying the ops at every commit.
  let owned: readonly unknown[] | null = null
  entries.forEach((entry, i) => {
    if (entry.seq !== i + 1) throw new RangeError(`journal entry ${i + 1} has seq ${entry.seq}`)
    const { op } = entry
    if (op.kind === 'undo' && !canUndo(h))
      throw new RangeError(`journal entry ${entry.seq} undoes with nothing to undo`)
    if (op.kind === 'redo' && !canRedo(h))
      throw new RangeError(`journal entry ${entry.seq} redoes with nothing to redo`)
    if (!visit && h.ops === owned && (op.kind === 'stroke' || op.kind === 'clear')) h = commitInPlace(h, op)
    else h = applyEdit(h, op)
    if (op.kind === 'stroke' || op.kind === 'clear') owned = h.ops
    visit?.(h, entry)
  })
  return h
}

/** histories[k] is the drawing after the first k entries (histories[0] is empty), for replaying it step by step. */
export function journalHistories(entries: readonly RecordedEdit[]): History[] {
  const histories: History[] = [EMPTY_HISTORY]
  foldJournal(entries, (h) => histories.push(h))
  return histories
}
