// Rebuilding an attempt's drawing history (ops + cursor, as in AttemptState) from its journal.
// Same rules as the live attempt: a stroke or clear drops any redo entries and moves the cursor
// past itself; undo and redo move the cursor.
import type { DrawingOp } from '#shared/contract/attempts.ts'
import type { EditScore, JournalEntry } from '#shared/contract/history.ts'

export interface ReplayedHistory {
  ops: DrawingOp[]
  cursor: number
  /** The score after the last entry (its headline figures); null for an empty journal. */
  evaluation: EditScore | null
}

export function replayJournal(entries: readonly JournalEntry[]): ReplayedHistory {
  const ops: DrawingOp[] = []
  let cursor = 0
  entries.forEach((entry, i) => {
    if (entry.seq !== i + 1) throw new RangeError(`journal entry ${i + 1} has seq ${entry.seq}`)
    const { op } = entry
    switch (op.kind) {
      case 'stroke':
      case 'clear':
        ops.length = cursor
        ops.push(op)
        cursor++
        break
      case 'undo':
        if (cursor === 0) throw new RangeError(`journal entry ${entry.seq} undoes with nothing to undo`)
        cursor--
        break
      case 'redo':
        if (cursor === ops.length) throw new RangeError(`journal entry ${entry.seq} redoes with nothing to redo`)
        cursor++
        break
    }
  })
  return { ops, cursor, evaluation: entries.length > 0 ? entries[entries.length - 1].evaluation : null }
}
