import { describe, expect, it } from 'vitest'
import { DRILL_KINDS, drillWeights, pickDrillKind, seededRandom, type DrillResult } from '#shared/drills/index.ts'

const result = (kind: DrillResult['kind'], top5Error: number, at: number): DrillResult => ({ kind, top5Error, at })

describe('the adaptive drill pick', () => {
  it('with no results, weighs every kind the same', () => {
    const w = drillWeights([])
    expect(new Set(w.values()).size).toBe(1)
    expect([...w.keys()]).toEqual([...DRILL_KINDS])
  })

  it('favours the kinds done worst lately, counting only the latest five of each', () => {
    const results = [
      ...Array.from({ length: 5 }, (_, i) => result('ellipse', 8, 100 + i)),
      // Old bad results of lines no longer count: the five latest are good.
      ...Array.from({ length: 5 }, (_, i) => result('line-angle', 30, i)),
      ...Array.from({ length: 5 }, (_, i) => result('line-angle', 1, 200 + i)),
      result('box', 4, 300)
    ]
    const w = drillWeights(results, ['ellipse', 'line-angle', 'box'])
    expect(w.get('ellipse')!).toBeGreaterThan(w.get('box')!)
    expect(w.get('box')!).toBeGreaterThan(w.get('line-angle')!)
    expect(w.get('line-angle')!).toBeGreaterThan(0)
    const counts = new Map<string, number>()
    const rand = seededRandom(7)
    for (let i = 0; i < 3000; i++) {
      const k = pickDrillKind(results, rand, ['ellipse', 'line-angle', 'box'])
      counts.set(k, (counts.get(k) ?? 0) + 1)
    }
    const total = [...w.values()].reduce((s, v) => s + v, 0)
    for (const [k, weight] of w) expect(Math.abs(counts.get(k)! / 3000 - weight / total)).toBeLessThan(0.03)
  })

  it('weighs a kind never tried as much as the worst one tried', () => {
    const w = drillWeights([result('ellipse', 9, 1), result('box', 2, 1)], ['ellipse', 'box', 'divide-line'])
    expect(w.get('divide-line')).toBe(w.get('ellipse'))
  })

  it('refuses to pick from nothing', () => {
    expect(() => pickDrillKind([], Math.random, [])).toThrow('no drill kinds')
  })
})
