import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import {
  EMPTY_HISTORY,
  applyEdit,
  canClear,
  canRedo,
  canUndo,
  clear,
  commit,
  foldJournal,
  journalHistories,
  opsToPaint,
  redo,
  scoredHistory,
  strokeCount,
  touchesScored,
  undo,
  visibleOps,
  type DrawingOp,
  type Edit,
  type History,
  type Layer
} from '#shared/edit-history/index.ts'
import { NaiveHistory, naiveFold } from '#test/helpers/naive-history.ts'

const stroke = (n: number, tool: Stroke['tool'] = 'pen'): DrawingOp => ({
  kind: 'stroke',
  stroke: { tool, size: n, points: [{ x: n, y: n, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }] }
})

const sketch = (n: number): DrawingOp => ({
  kind: 'stroke',
  layer: 'construction',
  stroke: { tool: 'pen', size: n, points: [{ x: n, y: n, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }] }
})
const CLEAR_SKETCH: DrawingOp = { kind: 'clear', layer: 'construction' }

/** Any edit on either layer, in any order: undo and redo also where there is nothing to act on. */
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 400 }).map((n) => stroke(n, n % 3 === 0 ? 'eraser' : 'pen')) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 400 }).map(sketch) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 1, arbitrary: fc.constant(CLEAR_SKETCH) },
  { weight: 2, arbitrary: fc.constant({ kind: 'undo' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'redo' as const }) }
)

/** An edit through the model's named functions (what the studio's buttons call). */
function byName(h: History, edit: Edit): History {
  switch (edit.kind) {
    case 'undo':
      return undo(h)
    case 'redo':
      return redo(h)
    case 'clear':
      return clear(h, edit.layer ?? 'drawing')
    case 'stroke':
      return commit(h, edit)
  }
}

function expectSame(h: History, naive: NaiveHistory): void {
  expect(visibleOps(h)).toEqual(naive.visible)
  expect(h.ops).toEqual(naive.all)
  expect(h.cursor).toBe(naive.at)
  expect(canUndo(h)).toBe(naive.canUndo)
  expect(canRedo(h)).toBe(naive.canRedo)
  for (const layer of ['drawing', 'construction'] as Layer[]) {
    expect(opsToPaint(h, layer)).toEqual(naive.sinceClear(layer))
    expect(canClear(h, layer)).toBe(naive.sinceClear(layer).some((op) => op.kind === 'stroke'))
    expect(strokeCount(h, layer)).toBe(naive.strokes(layer))
  }
  expect(opsToPaint(h)).toEqual(opsToPaint(h, 'drawing'))
  expect(strokeCount(h)).toBe(strokeCount(h, 'drawing'))
}

const entries = (edits: readonly Edit[]) => edits.map((op, i) => ({ seq: i + 1, op }))

describe('the edit history model against a list of snapshots', () => {
  it('agrees after every edit of random sequences, and changes nothing where nothing can change', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 80 }), (edits) => {
        const naive = new NaiveHistory()
        let h: History = EMPTY_HISTORY
        for (const edit of edits) {
          const next = applyEdit(h, edit)
          expect(byName(h, edit)).toEqual(next)
          const applied = naive.apply(edit)
          // An undo or redo with nothing to act on returns the very same history.
          expect(next === h).toBe(!applied)
          h = next
          expectSame(h, naive)
        }
      }),
      { numRuns: 500 }
    )
  })

  it('never changes a history it was given (every snapshot stays as it was)', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 60 }), (edits) => {
        const kept: { h: History; copy: unknown }[] = []
        let h: History = EMPTY_HISTORY
        for (const edit of edits) {
          h = applyEdit(h, edit)
          kept.push({ h, copy: structuredClone({ ops: [...h.ops], cursor: h.cursor }) })
        }
        for (const { h: old, copy } of kept) expect({ ops: [...old.ops], cursor: old.cursor }).toEqual(copy)
        expect(EMPTY_HISTORY).toEqual({ ops: [], cursor: 0 })
      }),
      { numRuns: 200 }
    )
  })

  it('works through a worked example', () => {
    const a = commit(EMPTY_HISTORY, stroke(1))
    const b = commit(a, stroke(2, 'eraser'))
    const c = clear(b)
    const d = commit(c, stroke(3))
    expect(opsToPaint(d)).toEqual([stroke(3)])
    expect(strokeCount(d)).toBe(3)
    expect(canClear(c)).toBe(false) // nothing drawn since the clear
    const e = undo(undo(d))
    expect(visibleOps(e)).toEqual([stroke(1), stroke(2, 'eraser')])
    expect(opsToPaint(e)).toEqual([stroke(1), stroke(2, 'eraser')])
    const f = commit(e, stroke(4))
    expect(f.ops).toEqual([stroke(1), stroke(2, 'eraser'), stroke(4)]) // the redo tail was dropped
    expect(canRedo(f)).toBe(false)
    expect(undo(EMPTY_HISTORY)).toBe(EMPTY_HISTORY)
    expect(redo(b)).toBe(b)
  })
})

describe('the scored drawing (what the evaluator is sent)', () => {
  it('an evaluator sent only the edits that touch the scored drawing always shows exactly its visible scored ops', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 80 }), (edits) => {
        // The evaluator's side: a history of scored ops only, fed what touchesScored lets through.
        const evaluator = new NaiveHistory()
        const naive = new NaiveHistory()
        let h: History = EMPTY_HISTORY
        for (const edit of edits) {
          const sent = touchesScored(h, edit)
          h = applyEdit(h, edit)
          naive.apply(edit)
          if (sent) expect(evaluator.apply(edit)).toBe(true) // never an undo or redo the evaluator cannot do
          const scoredVisible = naive.visible.filter((op) => !('layer' in op) || op.layer === undefined)
          expect(evaluator.visible).toEqual(scoredVisible)
          // A session rebuilt from the history shows the same.
          const rebuilt = scoredHistory(h)
          expect(visibleOps(rebuilt)).toEqual(scoredVisible)
          expect(rebuilt.ops.every((op) => op.layer === undefined)).toBe(true)
        }
      }),
      { numRuns: 500 }
    )
  })

  it('works through a worked example with both layers', () => {
    let h = commit(EMPTY_HISTORY, sketch(1))
    expect(touchesScored(EMPTY_HISTORY, sketch(1))).toBe(false)
    h = commit(h, stroke(2))
    h = commit(h, sketch(3))
    expect(opsToPaint(h, 'construction')).toEqual([sketch(1), sketch(3)])
    expect(opsToPaint(h)).toEqual([stroke(2)])
    expect(strokeCount(h)).toBe(1)
    expect(strokeCount(h, 'construction')).toBe(2)
    expect(touchesScored(h, { kind: 'undo' })).toBe(false) // the last edit is a sketch line
    const cleared = clear(h, 'construction')
    expect(opsToPaint(cleared, 'construction')).toEqual([])
    expect(opsToPaint(cleared)).toEqual([stroke(2)]) // the ink stays
    expect(canClear(cleared, 'construction')).toBe(false)
    expect(canClear(cleared)).toBe(true)
    const back = undo(undo(cleared))
    expect(touchesScored(back, { kind: 'undo' })).toBe(true)
    expect(touchesScored(back, { kind: 'redo' })).toBe(false)
    expect(scoredHistory(back)).toEqual({ ops: [stroke(2)], cursor: 1 })
    expect(scoredHistory(undo(back))).toEqual({ ops: [stroke(2)], cursor: 0 })
  })
})

describe('folding a journal', () => {
  it('rebuilds after every entry the history the edits made, and refuses exactly the impossible entry', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 60 }), (edits) => {
        const { history: naive, refused } = naiveFold(edits)
        if (refused !== null) {
          const what = edits[refused].kind === 'undo' ? 'undoes with nothing to undo' : 'redoes with nothing to redo'
          expect(() => foldJournal(entries(edits))).toThrow(new RangeError(`journal entry ${refused + 1} ${what}`))
          // Everything before it folds, and gives the naive model's history.
          expectSame(foldJournal(entries(edits.slice(0, refused))), naive)
          return
        }
        const h = foldJournal(entries(edits))
        expectSame(h, naive)
        const histories = journalHistories(entries(edits))
        expect(histories).toHaveLength(edits.length + 1)
        expect(histories[0]).toBe(EMPTY_HISTORY)
        histories.forEach((step, k) => expectSame(step, naiveFold(edits.slice(0, k)).history))
        expect(histories[edits.length]).toEqual(h)
      }),
      { numRuns: 400 }
    )
  })

  it('names the damaged entry: nothing to undo, nothing to redo, a gap in seq', () => {
    expect(() => foldJournal(entries([{ kind: 'undo' }]))).toThrow('journal entry 1 undoes with nothing to undo')
    expect(() => foldJournal(entries([{ kind: 'clear' }, { kind: 'redo' }]))).toThrow(
      'journal entry 2 redoes with nothing to redo'
    )
    expect(() => foldJournal(entries([stroke(1), { kind: 'undo' }, { kind: 'undo' }]))).toThrow(
      'journal entry 3 undoes with nothing to undo'
    )
    expect(() =>
      foldJournal([
        { seq: 1, op: { kind: 'clear' } },
        { seq: 3, op: { kind: 'clear' } }
      ])
    ).toThrow('journal entry 2 has seq 3')
    expect(() => journalHistories([{ seq: 0, op: stroke(1) }])).toThrow('journal entry 1 has seq 0')
    expect(foldJournal([])).toBe(EMPTY_HISTORY)
  })
})
