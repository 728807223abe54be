import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AttemptSummary } from '#shared/contract/history.ts'
import {
  dayKey,
  dayLabel,
  groupByDay,
  mergePage,
  newestFirst,
  nextPageIndex,
  previousDay
} from '#renderer/features/history/day-groups.ts'
import { formatScore } from '#renderer/features/history/format.ts'
import { summary } from './history-fake-api.ts'

const at = (iso: string, i: number, ref = 'bundled:cube'): AttemptSummary => summary(i, ref, new Date(iso))

describe('days in the user’s time zone', () => {
  it('puts one instant on different days in different zones', () => {
    // 23:30 UTC on 4 March: still the 4th in New York, already the 5th in Tokyo.
    const t = '2025-03-04T23:30:00.000Z'
    expect(dayKey(t, 'UTC')).toBe('2025-03-04')
    expect(dayKey(t, 'America/New_York')).toBe('2025-03-04')
    expect(dayKey(t, 'Asia/Tokyo')).toBe('2025-03-05')
    expect(dayKey('2025-03-04T04:30:00.000Z', 'America/New_York')).toBe('2025-03-03')
    // Half-hour and 45-minute offsets.
    expect(dayKey('2025-03-04T18:20:00.000Z', 'Asia/Kolkata')).toBe('2025-03-04')
    expect(dayKey('2025-03-04T18:30:00.000Z', 'Asia/Kolkata')).toBe('2025-03-05')
    // Chatham in July: UTC+12:45.
    expect(dayKey('2025-07-04T11:14:00.000Z', 'Pacific/Chatham')).toBe('2025-07-04')
    expect(dayKey('2025-07-04T11:16:00.000Z', 'Pacific/Chatham')).toBe('2025-07-05')
  })

  it('keeps midnight right across daylight-saving changes', () => {
    // Europe/Berlin springs forward on 30 March 2025 (UTC+1 -> +2) and falls back on 26 October.
    expect(dayKey('2025-03-29T22:59:00.000Z', 'Europe/Berlin')).toBe('2025-03-29')
    expect(dayKey('2025-03-29T23:00:00.000Z', 'Europe/Berlin')).toBe('2025-03-30')
    expect(dayKey('2025-03-30T21:59:00.000Z', 'Europe/Berlin')).toBe('2025-03-30')
    expect(dayKey('2025-03-30T22:00:00.000Z', 'Europe/Berlin')).toBe('2025-03-31')
    expect(dayKey('2025-10-26T22:59:00.000Z', 'Europe/Berlin')).toBe('2025-10-26')
    expect(dayKey('2025-10-26T23:00:00.000Z', 'Europe/Berlin')).toBe('2025-10-27')
  })

  it('agrees with a fixed-offset computation for zones without daylight saving', () => {
    const zones: [string, number][] = [
      ['UTC', 0],
      ['Asia/Tokyo', 9 * 60],
      ['Asia/Kolkata', 5.5 * 60],
      ['Pacific/Honolulu', -10 * 60],
      ['Asia/Kathmandu', 5.75 * 60]
    ]
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2060, 0, 1) }),
        fc.constantFrom(...zones),
        (ms, [zone, offset]) => {
          expect(dayKey(new Date(ms), zone)).toBe(new Date(ms + offset * 60_000).toISOString().slice(0, 10))
        }
      ),
      { numRuns: 500 }
    )
  })

  it('names today and yesterday, and other days in words', () => {
    const now = new Date('2025-03-05T01:00:00.000Z')
    expect(dayLabel('2025-03-05', now, 'Asia/Tokyo', 'en-GB')).toBe('Today')
    expect(dayLabel('2025-03-04', now, 'Asia/Tokyo', 'en-GB')).toBe('Yesterday')
    // In New York it is still the 4th: that is today there.
    expect(dayLabel('2025-03-04', now, 'America/New_York', 'en-GB')).toBe('Today')
    expect(dayLabel('2025-03-01', now, 'UTC', 'en-GB')).toMatch(/^Saturday,? 1 March$/)
    expect(dayLabel('2024-12-31', now, 'UTC', 'en-GB')).toMatch(/^Tuesday,? 31 December 2024$/)
    expect(previousDay('2025-03-01')).toBe('2025-02-28')
    expect(previousDay('2024-03-01')).toBe('2024-02-29')
    expect(previousDay('2025-01-01')).toBe('2024-12-31')
  })
})

describe('grouping the list by day, then by reference', () => {
  it('groups newest first by start day in the zone, references in order of their newest attempt', () => {
    const items = [
      at('2025-03-05T02:00:00.000Z', 5, 'bundled:vase'),
      at('2025-03-05T01:00:00.000Z', 4, 'bundled:cube'),
      at('2025-03-04T23:00:00.000Z', 3, 'bundled:vase'),
      at('2025-03-04T10:00:00.000Z', 2, 'bundled:cube'),
      at('2025-03-03T10:00:00.000Z', 1, 'bundled:cube')
    ].sort(newestFirst)
    const now = new Date('2025-03-05T12:00:00.000Z')
    const utc = groupByDay(items, { timeZone: 'UTC', now, locale: 'en-GB' })
    expect(utc.map((d) => [d.day, d.label, d.count])).toEqual([
      ['2025-03-05', 'Today', 2],
      ['2025-03-04', 'Yesterday', 2],
      ['2025-03-03', expect.stringMatching(/^Monday,? 3 March$/), 1]
    ])
    expect(utc[0].references.map((r) => [r.referenceName, r.items.length])).toEqual([
      ['Vase', 1],
      ['Cube', 1]
    ])
    expect(utc[1].references.map((r) => r.referenceName)).toEqual(['Vase', 'Cube'])
    // In Tokyo (UTC+9) the 23:00 UTC attempt belongs to the 5th.
    const tokyo = groupByDay(items, { timeZone: 'Asia/Tokyo', now, locale: 'en-GB' })
    expect(tokyo.map((d) => [d.day, d.count])).toEqual([
      ['2025-03-05', 3],
      ['2025-03-04', 1],
      ['2025-03-03', 1]
    ])
    expect(tokyo[0].references.map((r) => [r.referenceName, r.items.map((i) => i.attemptId.slice(-1))])).toEqual([
      ['Vase', ['5', '3']],
      ['Cube', ['4']]
    ])
    // In Los Angeles (UTC-8) the two on the 5th in UTC are on the 4th.
    const la = groupByDay(items, { timeZone: 'America/Los_Angeles', now, locale: 'en-GB' })
    expect(la.map((d) => [d.day, d.count])).toEqual([
      ['2025-03-04', 4],
      ['2025-03-03', 1]
    ])
  })

  it('keeps every attempt exactly once, in list order within each group', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2024, 2, 1) }),
            fc.constantFrom('bundled:cube', 'bundled:vase')
          ),
          { maxLength: 60 }
        ),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
        (raw, zone) => {
          const items = raw.map(([ms, ref], i) => at(new Date(ms).toISOString(), i, ref)).sort(newestFirst)
          const groups = groupByDay(items, { timeZone: zone, now: new Date(Date.UTC(2024, 2, 2)) })
          const flat = groups.flatMap((d) => d.references.flatMap((r) => r.items))
          expect(flat.map((i) => i.attemptId).sort()).toEqual(items.map((i) => i.attemptId).sort())
          for (const d of groups) {
            expect(d.count).toBe(d.references.reduce((n, r) => n + r.items.length, 0))
            for (const r of d.references) {
              for (const i of r.items) {
                expect(dayKey(i.startedAt, zone)).toBe(d.day)
                expect(i.referenceId).toBe(r.referenceId)
              }
              const order = r.items.map((i) => items.indexOf(i))
              expect(order).toEqual([...order].sort((a, b) => a - b))
            }
          }
          expect(groups.map((g) => g.day)).toEqual([...groups.map((g) => g.day)].sort().reverse())
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe('paging with "show more" while attempts are deleted and restored', () => {
  it('loads every live attempt exactly once, in order, whatever is deleted or restored between pages', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(
          fc.oneof(
            fc.constant({ kind: 'more' as const }),
            fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
            fc.record({ kind: fc.constant('restore' as const), pick: fc.nat() })
          ),
          { maxLength: 30 }
        ),
        (n, pageSize, actions) => {
          // The store: newest first. Deletes and restores happen to loaded attempts, as in the panel.
          const all = Array.from({ length: n }, (_, i) =>
            at(new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(), i)
          ).sort(newestFirst)
          const deleted = new Set<string>()
          const live = () => all.filter((a) => !deleted.has(a.attemptId))
          const fetch = (page: number) => live().slice(page * pageSize, (page + 1) * pageSize)
          let loaded: AttemptSummary[] = fetch(0)
          const removed: AttemptSummary[] = []
          for (const action of actions) {
            if (action.kind === 'more') loaded = mergePage(loaded, fetch(nextPageIndex(loaded.length, pageSize)))
            else if (action.kind === 'delete' && loaded.length > 0) {
              const victim = loaded[action.pick % loaded.length]
              deleted.add(victim.attemptId)
              removed.push(victim)
              loaded = loaded.filter((a) => a !== victim)
            } else if (action.kind === 'restore' && removed.length > 0) {
              const back = removed.splice(action.pick % removed.length, 1)[0]
              deleted.delete(back.attemptId)
              // The store puts it back when it falls within what is loaded.
              const tail = loaded[loaded.length - 1]
              const allLoaded = loaded.length >= live().length - 1
              if (allLoaded || (tail && newestFirst(back, tail) < 0)) loaded = [...loaded, back].sort(newestFirst)
            }
          }
          // Show more until done: exactly the live attempts, newest first.
          for (let guard = 0; loaded.length < live().length && guard < 100; guard++)
            loaded = mergePage(loaded, fetch(nextPageIndex(loaded.length, pageSize)))
          expect(loaded.map((a) => a.attemptId)).toEqual(live().map((a) => a.attemptId))
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('figures', () => {
  it('shows a score with one decimal, and says when there is none', () => {
    expect(formatScore(12.345)).toBe('12.3 %')
    expect(formatScore(0)).toBe('0.0 %')
    expect(formatScore(null)).toBe('no score')
  })
})
