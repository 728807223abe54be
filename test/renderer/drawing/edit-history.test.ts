import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DrawingOp } from '#shared/contract/attempts.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import {
  EMPTY_HISTORY,
  canClear,
  canRedo,
  canUndo,
  commit,
  opsToPaint,
  redo,
  strokeCount,
  undo,
  visibleOps,
  type History
} from '#renderer/drawing/edit-history.ts'

const stroke = (n: number, tool: Stroke['tool'] = 'pen'): DrawingOp => ({
  kind: 'stroke',
  stroke: { tool, size: n, points: [] }
})
const CLEAR: DrawingOp = { kind: 'clear' }

type Action = { type: 'commit'; op: DrawingOp } | { type: 'undo' } | { type: 'redo' }
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc
    .integer({ min: 1, max: 99 })
    .map((n) => ({ type: 'commit' as const, op: n % 5 === 0 ? CLEAR : stroke(n, n % 3 === 0 ? 'eraser' : 'pen') })),
  fc.constant({ type: 'undo' as const }),
  fc.constant({ type: 'redo' as const })
)

/** The textbook model: a done stack and a redo stack. */
function model(actions: Action[]): { done: DrawingOp[]; undone: DrawingOp[] } {
  const done: DrawingOp[] = []
  const undone: DrawingOp[] = []
  for (const a of actions) {
    if (a.type === 'commit') {
      done.push(a.op)
      undone.length = 0
    } else if (a.type === 'undo') {
      const op = done.pop()
      if (op) undone.push(op)
    } else {
      const op = undone.pop()
      if (op) done.push(op)
    }
  }
  return { done, undone }
}

function run(actions: Action[]): History {
  return actions.reduce<History>(
    (h, a) => (a.type === 'commit' ? commit(h, a.op) : a.type === 'undo' ? undo(h) : redo(h)),
    EMPTY_HISTORY
  )
}

describe('drawing history (ops + cursor)', () => {
  it('matches a done / redo stack model on random edit sequences', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 60 }), (actions) => {
        const h = run(actions)
        const { done, undone } = model(actions)
        expect(visibleOps(h)).toEqual(done)
        expect(h.ops.slice(h.cursor)).toEqual([...undone].reverse())
        expect(canUndo(h)).toBe(done.length > 0)
        expect(canRedo(h)).toBe(undone.length > 0)
        expect(strokeCount(h)).toBe(done.filter((op) => op.kind === 'stroke').length)
        const lastClear = done.lastIndexOf(CLEAR)
        expect(opsToPaint(h)).toEqual(done.slice(lastClear + 1))
        expect(canClear(h)).toBe(done.slice(lastClear + 1).length > 0)
      }),
      { numRuns: 500 }
    )
  })

  it('keeps earlier snapshots unchanged (values are immutable)', () => {
    const a = commit(EMPTY_HISTORY, stroke(1))
    const b = commit(a, stroke(2))
    const c = commit(undo(b), stroke(3))
    expect(visibleOps(a)).toEqual([stroke(1)])
    expect(visibleOps(b)).toEqual([stroke(1), stroke(2)])
    expect(c.ops).toEqual([stroke(1), stroke(3)]) // the redo tail was dropped
    expect(undo(EMPTY_HISTORY)).toBe(EMPTY_HISTORY)
    expect(redo(b)).toBe(b)
  })
})
