import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorHistogram } from '#main/evaluator/core/histogram.ts'

describe('error histogram', () => {
  it('counts, sums, counts at most a limit and lists the largest values as a sorted multiset does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat()), { maxLength: 200 }),
        fc.nat(),
        fc.integer({ min: 0, max: 12 }),
        fc.nat(),
        (length, ops, limitSeed, k, slack) => {
          const hist = new ErrorHistogram(new Int32Array(length), new Float64Array(1), new Float64Array(1))
          const model: number[] = []
          for (const [add, seed] of ops) {
            if (add || model.length === 0) {
              const v = seed % length
              hist.add(v)
              model.push(v)
            } else {
              const [v] = model.splice(seed % model.length, 1)
              hist.remove(v)
            }
          }
          const sorted = [...model].sort((a, b) => b - a)
          expect(hist.count).toBe(model.length)
          expect(hist.sum).toBe(model.reduce((a, v) => a + v, 0))
          const limit = limitSeed % (length + 5)
          expect(hist.countAtMost(limit)).toBe(model.filter((v) => v <= limit).length)
          // Any bound at or above the largest value held gives the same answer.
          const out = new Int32Array(k)
          const n = hist.largest(k, out, (sorted[0] ?? 0) + (slack % 50))
          expect([...out.subarray(0, n)]).toEqual(sorted.slice(0, k))
        }
      ),
      { numRuns: 300 }
    )
  })

  it('clears everything', () => {
    const hist = new ErrorHistogram(new Int32Array(10), new Float64Array(1), new Float64Array(1))
    for (const v of [3, 3, 9, 0]) hist.add(v)
    hist.clear()
    expect([hist.count, hist.sum, hist.countAtMost(9), hist.largest(3, new Int32Array(3), 9)]).toEqual([0, 0, 0, 0])
  })
})
