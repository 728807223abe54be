import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JournalEntry } from '#shared/contract/history.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import {
  EMPTY_HISTORY,
  commit,
  journalHistories,
  opsToPaint,
  redo,
  undo,
  type Edit,
  type History
} from '#shared/edit-history/index.ts'
import { PACE, buildTimeline, liveStroke, positionAt, strokeDuration } from '#renderer/features/history/replay.ts'
import { fakeEvaluation } from '#test/renderer/fake-api.ts'

const stroke = (points: number, dt: number, tool: 'pen' | 'eraser' = 'pen'): Stroke => ({
  tool,
  size: 3,
  points: Array.from({ length: points }, (_, i) => ({
    x: 10 + i,
    y: 20 + i,
    pressure: 0.5,
    tiltX: 0,
    tiltY: 0,
    t: i * dt
  }))
})

/** A journal the studio could have written: undo only with something to undo, redo only with something to redo. */
const journalArb = fc
  .array(
    fc.tuple(
      fc.constantFrom('stroke', 'stroke', 'stroke', 'clear', 'undo', 'undo', 'redo'),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 0, max: 30 }),
      fc.boolean()
    ),
    { maxLength: 40 }
  )
  .map((raw) => {
    const ops: Edit[] = []
    let cursor = 0
    let length = 0
    for (const [kind, n, dt, eraser] of raw) {
      if (kind === 'undo') {
        if (cursor === 0) continue
        cursor--
        ops.push({ kind: 'undo' })
      } else if (kind === 'redo') {
        if (cursor === length) continue
        cursor++
        ops.push({ kind: 'redo' })
      } else {
        ops.push(
          kind === 'clear' ? { kind: 'clear' } : { kind: 'stroke', stroke: stroke(n, dt, eraser ? 'eraser' : 'pen') }
        )
        cursor++
        length = cursor
      }
    }
    return ops.map((op, i): JournalEntry => ({
      seq: i + 1,
      op,
      evaluation: fakeEvaluation([], 0),
      activeMs: i * 1000,
      at: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString()
    }))
  })

/** The main side's rule as it was before the shared model, written out plainly: an array and a cursor. */
function replayJournal(entries: readonly JournalEntry[]): { ops: unknown[]; cursor: number } {
  const ops: unknown[] = []
  let cursor = 0
  for (const { op } of entries) {
    if (op.kind === 'undo') cursor--
    else if (op.kind === 'redo') cursor++
    else {
      ops.length = cursor
      ops.push(op)
      cursor++
    }
  }
  return { ops, cursor }
}

/** The studio's edits, one after another, as the drawing store applies them. */
function asTheStudioDoes(entries: readonly JournalEntry[]): History {
  let h = EMPTY_HISTORY
  for (const { op } of entries) h = op.kind === 'undo' ? undo(h) : op.kind === 'redo' ? redo(h) : commit(h, op)
  return h
}

describe('replaying a journal', () => {
  it('rebuilds after every entry the history the studio had, as the main side rebuilds it', () => {
    fc.assert(
      fc.property(journalArb, (entries) => {
        const histories = journalHistories(entries)
        expect(histories).toHaveLength(entries.length + 1)
        expect(histories[0]).toBe(EMPTY_HISTORY)
        for (let k = 0; k <= entries.length; k++) {
          const main = replayJournal(entries.slice(0, k))
          expect({ ops: [...histories[k].ops], cursor: histories[k].cursor }).toEqual({
            ops: main.ops,
            cursor: main.cursor
          })
          expect(histories[k]).toEqual(asTheStudioDoes(entries.slice(0, k)))
        }
        // What gets painted at the end is the drawing after the last visible clear.
        const last = histories[entries.length]
        expect(opsToPaint(last)).toEqual(opsToPaint(asTheStudioDoes(entries)))
      }),
      { numRuns: 300 }
    )
  })

  it('refuses a damaged journal, naming the entry', () => {
    const e = (seq: number, op: Edit): JournalEntry => ({
      seq,
      op,
      evaluation: fakeEvaluation([], 0),
      activeMs: 0,
      at: new Date(0).toISOString()
    })
    expect(() => journalHistories([e(1, { kind: 'undo' })])).toThrow('journal entry 1 undoes with nothing to undo')
    expect(() => journalHistories([e(1, { kind: 'stroke', stroke: stroke(3, 5) }), e(2, { kind: 'redo' })])).toThrow(
      'journal entry 2 redoes with nothing to redo'
    )
    expect(() => journalHistories([e(1, { kind: 'clear' }), e(3, { kind: 'clear' })])).toThrow(
      'journal entry 2 has seq 3'
    )
  })
})

describe('the replay timeline', () => {
  it('plays strokes at their own pace and edits at a fixed one', () => {
    const entries = [stroke(5, 10), undefined, stroke(1, 0)].map((s, i): JournalEntry => ({
      seq: i + 1,
      op: s ? { kind: 'stroke', stroke: s } : { kind: 'undo' },
      evaluation: fakeEvaluation([], 0),
      activeMs: 0,
      at: ''
    }))
    const t = buildTimeline(entries)
    expect(strokeDuration(stroke(5, 10))).toBe(40)
    expect(strokeDuration(stroke(3, 100_000))).toBe(PACE.maxStrokeMs)
    expect(t.starts).toEqual([
      0,
      40 + PACE.restMs,
      40 + PACE.editMs + 2 * PACE.restMs,
      40 + PACE.editMs + 3 * PACE.restMs
    ])
    expect(t.applyAt).toEqual([40, 40 + PACE.restMs + PACE.editMs, 40 + PACE.editMs + 2 * PACE.restMs])
    expect(positionAt(entries, t, 0)).toEqual({ step: 0, points: 1 })
    expect(positionAt(entries, t, 15)).toEqual({ step: 0, points: 2 })
    expect(positionAt(entries, t, 39)).toEqual({ step: 0, points: 4 })
    expect(positionAt(entries, t, 40)).toEqual({ step: 1, points: null })
    expect(positionAt(entries, t, t.starts[1] + 1)).toEqual({ step: 1, points: null })
    expect(positionAt(entries, t, t.applyAt[1])).toEqual({ step: 2, points: null })
    // A one-point stroke takes no time: applied as soon as it starts.
    expect(positionAt(entries, t, t.starts[2])).toEqual({ step: 3, points: null })
    expect(positionAt(entries, t, 1e9)).toEqual({ step: 3, points: null })
    expect(liveStroke(entries, { step: 0, points: 2 })?.points).toHaveLength(2)
    expect(liveStroke(entries, { step: 1, points: null })).toBeNull()
    expect(positionAt([], buildTimeline([]), 0)).toEqual({ step: 0, points: null })
  })

  it('only moves forward as time goes on, through every step, and ends with all entries applied', () => {
    fc.assert(
      fc.property(journalArb, fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 50 }), (entries, jumps) => {
        const t = buildTimeline(entries)
        let time = 0
        let last = positionAt(entries, t, 0)
        const seen = new Set<number>([last.step])
        for (const dt of [...jumps, ...t.applyAt.map((a) => Math.max(0, a - time))]) {
          time += dt
          const p = positionAt(entries, t, time)
          expect(
            p.step > last.step ||
              (p.step === last.step && (p.points ?? Infinity) >= (last.points ?? Infinity)) ||
              (p.step === last.step && last.points === null)
          ).toBe(true)
          if (p.points !== null) {
            const op = entries[p.step].op
            expect(op.kind).toBe('stroke')
            if (op.kind === 'stroke') expect(p.points).toBeLessThanOrEqual(op.stroke.points.length)
          }
          last = p
          seen.add(p.step)
        }
        expect(positionAt(entries, t, t.starts[entries.length])).toEqual({ step: entries.length, points: null })
        // Each entry's apply time lands exactly on its step.
        t.applyAt.forEach((a, k) => expect(positionAt(entries, t, a).step).toBe(k + 1))
      }),
      { numRuns: 200 }
    )
  })
})
