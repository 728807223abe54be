import { describe, expect, it } from 'vitest'
import type { Evaluation, ScoredEvaluation } from '#shared/contract/scores.ts'
import { EMPTY_HISTORY, applyEdit, type History } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { formatDelta, strokeFeedback } from '#renderer/features/feedback/stroke-feedback.ts'
import { strokesSince } from '#renderer/features/feedback/canvas-comparison.ts'

const stroke = (tool: Stroke['tool'] = 'pen'): Stroke => ({
  tool,
  size: 3,
  points: [{ x: 10, y: 10, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }]
})

/** A score with `pixels` drawing pixels whose errors sum to `sum` pixels (side 500). */
function scored(pixels: number, sum: number, top5Error: number): ScoredEvaluation {
  return {
    status: 'scored',
    top5Error,
    meanError: 0,
    topError: 0,
    referencePixels: 100,
    drawingPixels: pixels,
    grid: [],
    extraInk: { mean: ((sum / pixels) * 100) / 500, max: 0 },
    missedLines: { mean: 0, max: 0 },
    precision: 0,
    recall: 0,
    f1: 0,
    tolerancePx: 5,
    side: 500,
    worstCells: []
  }
}
const empty: Evaluation = { status: 'empty', reason: 'no drawing yet', referencePixels: 100, drawingPixels: 0 }

describe('feedback on the stroke just drawn', () => {
  it('is the mean error of its new pixels and the change of the top-5 error', () => {
    const one = applyEdit(EMPTY_HISTORY, { kind: 'stroke', stroke: stroke() })
    const two = applyEdit(one, { kind: 'stroke', stroke: stroke() })
    // First stroke: 40 pixels, errors summing to 120 px: 3 px = 0.6 % of 500; no change to show.
    const first = strokeFeedback(
      { evaluation: empty, history: EMPTY_HISTORY },
      { evaluation: scored(40, 120, 2), history: one }
    )
    expect(first).toMatchObject({ strokePercent: 0.6, delta: null })
    // Second: 60 more pixels summing to 30 px more: 0.5 px = 0.1 %; top-5 from 2 to 1.4.
    const second = strokeFeedback(
      { evaluation: scored(40, 120, 2), history: one },
      { evaluation: scored(100, 150, 1.4), history: two }
    )
    expect(second!.strokePercent).toBeCloseTo(0.1, 12)
    expect(second!.delta).toBeCloseTo(-0.6, 12)
    expect(second!.stroke).toBe(two.ops[1].kind === 'stroke' ? two.ops[1].stroke : null)
  })

  it('says nothing unless exactly one pen stroke was added', () => {
    const one = applyEdit(EMPTY_HISTORY, { kind: 'stroke', stroke: stroke() })
    const s1 = { evaluation: scored(40, 120, 2), history: one }
    const erased = applyEdit(one, { kind: 'stroke', stroke: stroke('eraser') })
    expect(strokeFeedback(s1, { evaluation: scored(30, 90, 2), history: erased })).toBeNull()
    const undone: History = applyEdit(one, { kind: 'undo' })
    expect(strokeFeedback(s1, { evaluation: empty, history: undone })).toBeNull()
    const two = applyEdit(applyEdit(one, { kind: 'stroke', stroke: stroke() }), { kind: 'stroke', stroke: stroke() })
    expect(strokeFeedback(s1, { evaluation: scored(90, 200, 1), history: two })).toBeNull()
    // A stroke over ink already there adds no pixel: the change, but no tint.
    const over = applyEdit(one, { kind: 'stroke', stroke: stroke() })
    expect(strokeFeedback(s1, { evaluation: scored(40, 120, 2), history: over })).toMatchObject({
      strokePercent: null,
      delta: 0
    })
    // Another branch of the history (undo then a new stroke) is not "one more".
    const other = applyEdit(EMPTY_HISTORY, { kind: 'stroke', stroke: stroke() })
    expect(
      strokeFeedback(s1, {
        evaluation: scored(90, 200, 1),
        history: applyEdit(other, { kind: 'stroke', stroke: stroke() })
      })
    ).toBeNull()
  })

  it('reads the change with its sign and one decimal', () => {
    expect(formatDelta(-2.34)).toBe('-2.3')
    expect(formatDelta(0.45)).toBe('+0.5')
    expect(formatDelta(-0.04)).toBe('±0.0')
  })
})

describe('ink on top of a comparison picture', () => {
  it('is the strokes drawn since the picture, none after an undo or another branch', () => {
    const one = applyEdit(EMPTY_HISTORY, { kind: 'stroke', stroke: stroke() })
    const two = applyEdit(one, { kind: 'stroke', stroke: stroke() })
    const three = applyEdit(two, { kind: 'stroke', stroke: stroke('eraser') })
    expect(strokesSince(one, three)).toEqual(three.ops.slice(1, 3))
    expect(strokesSince(two, one)).toEqual([])
    expect(strokesSince(null, two)).toEqual([])
    expect(strokesSince(two, applyEdit(one, { kind: 'stroke', stroke: stroke() }))).toEqual([])
    expect(strokesSince(one, applyEdit(one, { kind: 'clear' }))).toEqual([])
  })

  it('leaves out construction lines and what a clear of the drawing took away', () => {
    const one = applyEdit(EMPTY_HISTORY, { kind: 'stroke', stroke: stroke() })
    const sketched = applyEdit(one, { kind: 'stroke', stroke: { ...stroke(), tool: 'pen' }, layer: 'construction' })
    const drawn = applyEdit(sketched, { kind: 'stroke', stroke: stroke() })
    expect(strokesSince(one, drawn)).toEqual([drawn.ops[2]])
    const cleared = applyEdit(applyEdit(drawn, { kind: 'clear' }), { kind: 'stroke', stroke: stroke() })
    expect(strokesSince(one, cleared)).toEqual([cleared.ops[4]])
    // A clear of the construction lines leaves the drawing's strokes on top.
    const sketchCleared = applyEdit(drawn, { kind: 'clear', layer: 'construction' })
    expect(strokesSince(one, sketchCleared)).toEqual([drawn.ops[2]])
  })
})
