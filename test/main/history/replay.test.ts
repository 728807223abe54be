import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { replayJournal } from '#main/history/replay.ts'
import type { DrawingOp } from '#shared/contract/attempts.ts'
import type { JournalEntry, JournalOp } from '#shared/contract/history.ts'
import { EMPTY, scored, stroke } from './fixtures/data.ts'

/** The obvious model: a stack of done ops and a stack of undone ones. */
function model(ops: JournalOp[]): { ops: DrawingOp[]; cursor: number } {
  const done: DrawingOp[] = []
  let undone: DrawingOp[] = []
  for (const op of ops) {
    if (op.kind === 'undo') undone.push(done.pop() as DrawingOp)
    else if (op.kind === 'redo') done.push(undone.pop() as DrawingOp)
    else {
      done.push(op)
      undone = []
    }
  }
  return { ops: [...done, ...undone.reverse()], cursor: done.length }
}

function entries(ops: JournalOp[]): JournalEntry[] {
  return ops.map((op, i) => ({
    seq: i + 1,
    op,
    evaluation: i % 2 ? scored(i) : EMPTY,
    activeMs: i,
    at: new Date(i).toISOString()
  }))
}

/** Random valid op sequences: undo only with something done, redo only with something undone. */
const validOps = fc
  .array(fc.tuple(fc.constantFrom('stroke', 'clear', 'undo', 'redo'), fc.nat(1000)), { maxLength: 60 })
  .map((choices) => {
    const ops: JournalOp[] = []
    let done = 0
    let undone = 0
    for (const [kind, seed] of choices) {
      if (kind === 'undo' && done > 0) {
        ops.push({ kind: 'undo' })
        done--
        undone++
      } else if (kind === 'redo' && undone > 0) {
        ops.push({ kind: 'redo' })
        done++
        undone--
      } else if (kind === 'clear') {
        ops.push({ kind: 'clear' })
        done++
        undone = 0
      } else if (kind === 'stroke') {
        ops.push({ kind: 'stroke', stroke: stroke(seed, 2) })
        done++
        undone = 0
      }
    }
    return ops
  })

describe('replaying a journal', () => {
  it('rebuilds the same ops and cursor as the two-stack model', () => {
    fc.assert(
      fc.property(validOps, (ops) => {
        const replayed = replayJournal(entries(ops))
        expect({ ops: replayed.ops, cursor: replayed.cursor }).toEqual(model(ops))
        expect(replayed.evaluation).toEqual(ops.length === 0 ? null : entries(ops).at(-1)?.evaluation)
      }),
      { numRuns: 300 }
    )
  })

  it('refuses an undo or redo with nothing to act on, and a gap in seq', () => {
    expect(() => replayJournal(entries([{ kind: 'undo' }]))).toThrow('journal entry 1 undoes with nothing to undo')
    expect(() => replayJournal(entries([{ kind: 'clear' }, { kind: 'redo' }]))).toThrow(
      'journal entry 2 redoes with nothing to redo'
    )
    const gap = entries([{ kind: 'clear' }, { kind: 'clear' }])
    gap[1].seq = 3
    expect(() => replayJournal(gap)).toThrow('journal entry 2 has seq 3')
  })
})
