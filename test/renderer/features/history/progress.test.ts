import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ProgressPoint } from '#shared/contract/history.ts'
import { byAttempt, byDay, trailingAverage } from '#renderer/features/history/progress.ts'

const point = (endedAt: string, top5Error: number, personalBest = false): ProgressPoint => ({
  attemptId: endedAt,
  endedAt,
  top5Error,
  personalBest
})

describe('progress series', () => {
  it('numbers the attempts, so five of one afternoon are five steps', () => {
    const afternoon = [14, 15, 15, 16, 16].map((h, i) => point(`2026-03-04T${h}:0${i}:00.000Z`, 10 - i, i === 4))
    expect(byAttempt(afternoon).map((p) => [p.x, p.y, p.best])).toEqual([
      [1, 10, false],
      [2, 9, false],
      [3, 8, false],
      [4, 7, false],
      [5, 6, true]
    ])
  })

  it('by day: each day’s mean at its distance from the first day, in the person’s time zone', () => {
    const pts = [
      point('2026-03-04T10:00:00.000Z', 10),
      point('2026-03-04T22:30:00.000Z', 6, true), // the 5th in Tokyo
      point('2026-03-06T09:00:00.000Z', 8)
    ]
    expect(byDay(pts, 'UTC').map((p) => [p.x, p.y, p.count, p.best, p.when])).toEqual([
      [0, 8, 2, true, '2026-03-04'],
      [2, 8, 1, false, '2026-03-06']
    ])
    expect(byDay(pts, 'Asia/Tokyo').map((p) => [p.x, p.y, p.count])).toEqual([
      [0, 10, 1],
      [1, 6, 1],
      [2, 8, 1]
    ])
  })

  it('the trailing average is the mean of each value and up to four before it (fuzzed)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { maxLength: 40 }), (values) => {
        const avg = trailingAverage(values)
        expect(avg).toHaveLength(values.length)
        avg.forEach((a, i) => {
          const window = values.slice(Math.max(0, i - 4), i + 1)
          expect(a).toBeCloseTo(window.reduce((s, v) => s + v, 0) / window.length, 9)
        })
      })
    )
  })
})
