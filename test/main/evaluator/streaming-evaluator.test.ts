import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { eventArb, frameArb, referenceArb, shapePixels, type Event, type Frame } from './arbitraries.ts'
import { OracleSession, bfsDistances, oracleEvaluation } from './oracle.ts'

function apply(event: Event, fast: StreamingEvaluator, slow: OracleSession, frame: Frame): void {
  switch (event.op) {
    case 'add': {
      const px = shapePixels(event.shape, frame)
      fast.add(px)
      slow.add(px)
      break
    }
    case 'erase': {
      const px = shapePixels(event.shape, frame)
      fast.erase(px)
      slow.erase(px)
      break
    }
    case 'clear':
      fast.clear()
      slow.clear()
      break
    case 'undo':
      fast.undo()
      slow.undo()
      break
    case 'redo':
      fast.redo()
      slow.redo()
      break
    case 'reset':
      fast.reset()
      slow.reset()
  }
}

const scenario = frameArb.chain((frame) =>
  fc.record({
    frame: fc.constant(frame),
    reference: referenceArb(frame),
    events: fc.array(eventArb, { minLength: 1, maxLength: 25 })
  })
)

describe('streaming evaluator against the full recomputation', () => {
  it('equals it exactly after every add, erase, undo, redo and reset', () => {
    fc.assert(
      fc.property(scenario, ({ frame, reference, events }) => {
        const fast = new StreamingEvaluator(reference, frame.width, frame.height)
        const slow = new OracleSession(reference, frame.width, frame.height)
        expect(fast.evaluation()).toEqual(slow.evaluation())
        for (const event of events) {
          apply(event, fast, slow, frame)
          expect(fast.evaluation()).toEqual(slow.evaluation())
          for (let p = 0; p < slow.ink.length; p += 7) expect(fast.isInk(p)).toBe(slow.ink[p] === 1)
        }
      }),
      { numRuns: 150 }
    )
    // About 15 s alone; on a loaded machine beside the rest of the suite it has taken over 30 s.
  }, 120_000)

  it('reports the per-pixel errors a full recomputation finds', () => {
    fc.assert(
      fc.property(scenario, ({ frame, reference, events }) => {
        const fast = new StreamingEvaluator(reference, frame.width, frame.height)
        const slow = new OracleSession(reference, frame.width, frame.height)
        for (const event of events) apply(event, fast, slow, frame)
        const field = fast.errorField()
        if (slow.ink.every((v) => v === 0)) {
          expect(field).toBeNull()
          return
        }
        const toR = bfsDistances(reference, frame.width, frame.height)
        const toD = bfsDistances(slow.ink, frame.width, frame.height)
        const refPx = [...reference.keys()].filter((p) => reference[p])
        const drawPx = [...slow.ink.keys()].filter((p) => slow.ink[p])
        expect([...field!.referencePixels]).toEqual(refPx)
        expect([...field!.referenceErrors]).toEqual(refPx.map((p) => toD[p]))
        expect([...field!.drawingPixels]).toEqual(drawPx)
        expect([...field!.drawingErrors]).toEqual(drawPx.map((p) => toR[p]))
        expect(field!.evaluation).toEqual(slow.evaluation())
      }),
      { numRuns: 60 }
    )
  })
})

describe('hand-computed cases from the spec', () => {
  const W = 64
  const px = (y: number, x: number): number => y * W + x

  it('one reference pixel, one drawing pixel three apart', () => {
    const ref = new Uint8Array(W * W)
    ref[px(10, 10)] = 1
    const ev = new StreamingEvaluator(ref, W, W)
    ev.add([px(10, 13)])
    const e = ev.evaluation()
    expect(e.status).toBe('scored')
    if (e.status !== 'scored') return
    // e(d) = e(r) = 3. Cells: (10,10) -> (1,1); (10,13) -> (1, floor(130/64) = 2).
    expect(e.grid[1][1]).toBe(3)
    expect(e.grid[1][2]).toBe(3)
    expect(e.grid.flat().reduce((a, v) => a + v, 0)).toBe(6)
    expect(e.top5Error).toBe((6 / 5 / 64) * 100) // 1.875
    expect(e.top5Error).toBeCloseTo(1.875, 12)
    expect(e.meanError).toBeCloseTo(4.6875, 12) // mean 3 px of 64
    expect(e.topError).toBeCloseTo(1.875, 12) // (3 + 3) / 5 / 64 * 100
    expect(e.extraInk).toEqual({ mean: 4.6875, max: 4.6875 })
    expect(e.missedLines).toEqual({ mean: 4.6875, max: 4.6875 })
    expect([e.referencePixels, e.drawingPixels, e.tolerancePx, e.side]).toEqual([1, 1, 0, 64])
    expect([e.precision, e.recall, e.f1]).toEqual([0, 0, 0])
    expect(e.worstCells.slice(0, 2)).toEqual([
      { row: 1, col: 1, value: 3 },
      { row: 1, col: 2, value: 3 }
    ])
  })

  it('a perfect copy scores 0 with full precision and recall', () => {
    const ref = new Uint8Array(W * W)
    for (let x = 5; x < 60; x++) ref[px(30, x)] = 1
    const ev = new StreamingEvaluator(ref, W, W)
    ev.add([...ref.keys()].filter((p) => ref[p]))
    const e = ev.evaluation()
    expect(e).toMatchObject({
      status: 'scored',
      top5Error: 0,
      meanError: 0,
      topError: 0,
      precision: 1,
      recall: 1,
      f1: 1
    })
  })

  it('L1 distance, not Euclidean: a diagonal offset of (3, 4) costs 7', () => {
    const ref = new Uint8Array(W * W)
    ref[px(20, 20)] = 1
    const ev = new StreamingEvaluator(ref, W, W)
    ev.add([px(23, 24)])
    const e = ev.evaluation()
    expect(e.status === 'scored' && e.extraInk.max).toBe((7 / 64) * 100)
  })

  it('an empty drawing has no score, not 0 or NaN, also after erasing everything', () => {
    const ref = new Uint8Array(W * W)
    ref[px(1, 1)] = 1
    const ev = new StreamingEvaluator(ref, W, W)
    expect(ev.evaluation()).toEqual({ status: 'empty', reason: 'no drawing yet', referencePixels: 1, drawingPixels: 0 })
    ev.add([px(2, 2), px(2, 3)])
    ev.erase([px(2, 2), px(2, 3), px(9, 9)])
    expect(ev.evaluation()).toEqual({ status: 'empty', reason: 'no drawing yet', referencePixels: 1, drawingPixels: 0 })
    ev.undo()
    expect(ev.evaluation().status).toBe('scored')
  })

  it('the tolerance is 1 % of the longer side, rounded down', () => {
    const ref = new Uint8Array(250 * 130)
    ref[0] = 1
    expect(new StreamingEvaluator(ref, 250, 130).tolerancePx).toBe(2)
    expect(new StreamingEvaluator(ref, 130, 250).tolerancePx).toBe(2)
  })
})

describe('bad input', () => {
  it('refuses an empty reference with the spec message', () => {
    expect(() => new StreamingEvaluator(new Uint8Array(64 * 64), 64, 64)).toThrow(
      new StudioError('no-ink', 'the reference has no ink; lower the threshold or pick another image')
    )
  })

  it('refuses frames outside 64..4096 and masks of the wrong size', () => {
    expect(() => new StreamingEvaluator(new Uint8Array(63 * 64).fill(1), 63, 64)).toThrow(
      /width must be a whole number from 64 to 4096/
    )
    expect(() => new StreamingEvaluator(new Uint8Array(1).fill(1), 4097, 64)).toThrow(/width/)
    expect(() => new StreamingEvaluator(new Uint8Array(64 * 64).fill(1), 64, 65)).toThrow(
      /has 4096 pixels; a 64 x 65 frame has 4160/
    )
  })

  it('refuses pixels outside the frame without changing anything', () => {
    const ref = new Uint8Array(64 * 64)
    ref[100] = 1
    const ev = new StreamingEvaluator(ref, 64, 64)
    ev.add([5])
    const before = ev.evaluation()
    for (const bad of [-1, 64 * 64, 1.5, Number.NaN]) {
      expect(() => ev.add([7, bad])).toThrow(/outside the 64 x 64 frame/)
      expect(() => ev.erase([5, bad])).toThrow(/outside/)
    }
    expect(ev.evaluation()).toEqual(before)
    expect(ev.isInk(7)).toBe(false)
    expect(ev.isInk(5)).toBe(true)
  })
})

describe('large edits and odd inputs', () => {
  it('applies an edit longer than one core chunk (16,384 pixels) exactly', () => {
    const W = 300,
      H = 200
    const reference = new Uint8Array(W * H)
    for (let x = 10; x < 290; x++) reference[100 * W + x] = 1
    for (let y = 20; y < 180; y++) reference[y * W + 150] = 1
    const fast = new StreamingEvaluator(reference, W, H)
    const slow = new OracleSession(reference, W, H)
    const box: number[] = []
    for (let y = 30; y < 170; y++) for (let x = 20; x < 280; x++) if ((x + y) % 3 !== 0) box.push(y * W + x)
    expect(box.length).toBeGreaterThan(16_384)
    const stripe = box.filter((p) => Math.floor(p / W) % 2 === 0)
    for (const [op, px] of [
      ['add', box],
      ['erase', stripe],
      ['undo'],
      ['add', stripe.slice(0, 17_000)],
      ['undo'],
      ['redo']
    ] as const) {
      if (op === 'add') {
        fast.add(px)
        slow.add(px)
      } else if (op === 'erase') {
        fast.erase(px)
        slow.erase(px)
      } else if (op === 'undo') {
        fast.undo()
        slow.undo()
      } else {
        fast.redo()
        slow.redo()
      }
      expect(fast.evaluation()).toEqual(slow.evaluation())
    }
  })

  it('reads a reference mask that is a view at any byte offset', () => {
    const W = 64
    const backing = new Uint8Array(W * W + 3)
    const mask = backing.subarray(3)
    mask[5] = 1
    mask[W * 40 + 33] = 1
    mask[W * W - 1] = 1
    const ev = new StreamingEvaluator(mask, W, W)
    expect(ev.referencePixelCount).toBe(3)
    ev.add([W * 40 + 30])
    expect(ev.evaluation()).toEqual(
      oracleEvaluation(
        mask,
        Uint8Array.from({ length: W * W }, (_, p) => (p === W * 40 + 30 ? 1 : 0)),
        W,
        W
      )
    )
  })
})

describe('the headline alone', () => {
  it('top5Error() equals the full evaluation after random edits, and is null while empty', () => {
    fc.assert(
      fc.property(scenario, ({ frame, reference, events }) => {
        const fast = new StreamingEvaluator(reference, frame.width, frame.height)
        const slow = new OracleSession(reference, frame.width, frame.height)
        for (const event of events) {
          apply(event, fast, slow, frame)
          const e = fast.evaluation()
          expect(fast.top5Error()).toBe(e.status === 'scored' ? e.top5Error : null)
        }
      }),
      { numRuns: 60 }
    )
  })
})

describe('memory reuse', () => {
  it('a disposed evaluator refuses use, and the next one on its memory starts clean', () => {
    const W = 64
    const ref = new Uint8Array(W * W)
    for (let x = 4; x < 60; x++) ref[20 * W + x] = 1
    const first = new StreamingEvaluator(ref, W, W)
    first.add([21 * W + 10, 22 * W + 11, 40 * W + 40])
    first.dispose()
    expect(() => first.evaluation()).toThrow('this evaluator was disposed')
    expect(() => first.add([1])).toThrow('this evaluator was disposed')
    first.dispose() // twice is harmless
    // Same sizes: the released memory is reused, and nothing of the first drawing shows.
    const second = new StreamingEvaluator(ref, W, W)
    expect(second.evaluation()).toEqual(oracleEvaluation(ref, new Uint8Array(W * W), W, W))
    second.add([5 * W + 5])
    const drawing = new Uint8Array(W * W)
    drawing[5 * W + 5] = 1
    expect(second.evaluation()).toEqual(oracleEvaluation(ref, drawing, W, W))
    expect(second.isInk(21 * W + 10)).toBe(false)
  })
})
