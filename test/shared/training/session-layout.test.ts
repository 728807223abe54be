import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import { layOutSession } from '#shared/training/session-layout.ts'

const planArb = fc.record({
  items: fc.array(
    fc.record({
      referenceId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      seconds: fc.option(fc.integer({ min: 30, max: 1200 }), { nil: undefined })
    }),
    { minLength: 1, maxLength: 5 }
  ),
  count: fc.integer({ min: 1, max: 40 }),
  seconds: fc.array(fc.integer({ min: 30, max: 1200 }), { minLength: 1, maxLength: 4 }),
  order: fc.constantFrom('listed', 'random') as fc.Arbitrary<'listed' | 'random'>
})

const plan = (p: Pick<SessionPlan, 'items' | 'count' | 'seconds' | 'order'>): SessionPlan => ({
  title: 't',
  mode: 'copy',
  studySeconds: 10,
  ...p,
  items: p.items.map((i) => (i.seconds === undefined ? { referenceId: i.referenceId } : i))
})

describe('a session laid out from its plan', () => {
  it('has `count` drawings, each item once per round, times from the item or the schedule in turn', () => {
    fc.assert(
      fc.property(planArb, fc.nat(), (p, seed) => {
        const items = p.items.map((it, i) => ({ ...it, referenceId: `${it.referenceId}${i}` }))
        const laid = layOutSession(plan({ ...p, items }), seed)
        expect(laid).toHaveLength(p.count)
        for (let start = 0; start < p.count; start += items.length) {
          const round = laid.slice(start, start + items.length).map((d) => d.referenceId)
          expect(new Set(round).size).toBe(round.length)
          if (p.order === 'listed') expect(round).toEqual(items.slice(0, round.length).map((i) => i.referenceId))
        }
        laid.forEach((d, k) => {
          const item = items.find((i) => i.referenceId === d.referenceId)!
          expect(d.seconds).toBe(item.seconds ?? p.seconds[k % p.seconds.length])
        })
        if (p.order === 'random' && items.length > 1)
          for (let k = 1; k < laid.length; k++) expect(laid[k].referenceId).not.toBe(laid[k - 1].referenceId)
        expect(layOutSession(plan({ ...p, items }), seed)).toEqual(laid)
      }),
      { numRuns: 300 }
    )
  })

  it('shuffles: different seeds give different orders', () => {
    const p = plan({
      items: 'abcdefgh'.split('').map((referenceId) => ({ referenceId })),
      count: 8,
      seconds: [30],
      order: 'random'
    })
    const orders = new Set(
      Array.from({ length: 20 }, (_, s) =>
        layOutSession(p, s)
          .map((d) => d.referenceId)
          .join('')
      )
    )
    expect(orders.size).toBeGreaterThan(15)
  })
})
