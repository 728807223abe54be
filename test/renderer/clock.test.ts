import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  elapsedMs,
  formatDuration,
  holdClock,
  inputAt,
  pauseClock,
  startClock,
  stoppedClock,
  type Clock
} from '#renderer/drawing/clock.ts'

type Event =
  | { kind: 'start' }
  | { kind: 'input'; penDown?: boolean }
  | { kind: 'pause' }
  | { kind: 'hold'; reason: 'hidden' | 'dialog'; on: boolean }

function apply(c: Clock, e: Event, now: number): Clock {
  switch (e.kind) {
    case 'start':
      return startClock(c, now)
    case 'input':
      return inputAt(c, now, e.penDown)
    case 'pause':
      return pauseClock(c, now)
    case 'hold':
      return holdClock(c, e.reason, e.on, now)
  }
}

/** The obvious model: walk the time a millisecond at a time and count each one that should count. */
function naive(events: { at: number; event: Event }[], until: number, idleMs: number): number {
  let started = false
  let penDown = false
  let hidden = false
  let dialog = false
  let paused = false
  let lastInput = 0
  let counted = 0
  let next = 0
  for (let t = 0; t < until; t++) {
    while (next < events.length && events[next].at === t) {
      const e = events[next++].event
      if (e.kind === 'start') {
        started = true
        penDown = true
        paused = false
        lastInput = t
      } else if (e.kind === 'input') {
        if (e.penDown !== undefined) penDown = e.penDown
        paused = false
        lastInput = t
      } else if (e.kind === 'pause') paused = true
      else if (e.reason === 'hidden' ? hidden !== e.on : dialog !== e.on) {
        if (e.reason === 'hidden') hidden = e.on
        else dialog = e.on
        if (!e.on) {
          paused = false
          lastInput = t
        }
      }
    }
    const idle = idleMs > 0 && !penDown && t >= lastInput + idleMs
    if (started && !hidden && !dialog && !paused && !idle) counted++
  }
  return counted
}

describe('attempt clock', () => {
  it('starts at the first stroke, pauses while hidden or behind a dialog', () => {
    let c = stoppedClock(0, 0)
    expect(elapsedMs(c, 5000)).toBe(0)
    c = holdClock(c, 'hidden', false, 1000) // becoming visible before any stroke starts nothing
    expect(c.started).toBe(false)
    c = startClock(c, 1000)
    expect(elapsedMs(c, 3000)).toBe(2000)
    c = holdClock(c, 'hidden', true, 3000)
    expect(elapsedMs(c, 60_000)).toBe(2000)
    c = holdClock(c, 'hidden', false, 62_000)
    expect(elapsedMs(c, 63_500)).toBe(3500)
    c = holdClock(c, 'dialog', true, 63_500)
    expect(elapsedMs(c, 103_500)).toBe(3500)
  })

  it('stops counting after the idle pause without input, except while the pen is down', () => {
    let c = startClock(stoppedClock(0, 30_000), 0) // pen down at 0
    expect(elapsedMs(c, 50_000)).toBe(50_000) // one long stroke
    c = inputAt(c, 50_000, false) // pen up
    expect(elapsedMs(c, 70_000)).toBe(70_000)
    expect(elapsedMs(c, 90_000)).toBe(80_000) // 30 s after the pen-up, and no more
    c = inputAt(c, 200_000, true) // the next stroke
    expect(elapsedMs(c, 201_000)).toBe(81_000)
  })

  it('pauses when the report opens, until the next input', () => {
    let c = startClock(stoppedClock(5000, 30_000), 0)
    c = inputAt(c, 2000, false)
    c = pauseClock(c, 4000)
    expect(elapsedMs(c, 20_000)).toBe(9000)
    c = inputAt(c, 20_000, true)
    expect(elapsedMs(c, 21_000)).toBe(10_000)
  })

  it('counts exactly what a millisecond-by-millisecond model counts (fuzzed)', () => {
    const event: fc.Arbitrary<Event> = fc.oneof(
      fc.constant<Event>({ kind: 'start' }),
      fc.record({ kind: fc.constant('input' as const), penDown: fc.option(fc.boolean(), { nil: undefined }) }),
      fc.constant<Event>({ kind: 'pause' }),
      fc.record({
        kind: fc.constant('hold' as const),
        reason: fc.constantFrom('hidden' as const, 'dialog' as const),
        on: fc.boolean()
      })
    )
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 400 }), event }), { maxLength: 30 }),
        fc.constantFrom(0, 50, 300),
        fc.integer({ min: 0, max: 500 }),
        (steps, idleMs, tail) => {
          let at = 0
          const events = steps.map((s) => ({ at: (at += s.gap), event: s.event }))
          let c = stoppedClock(0, idleMs)
          for (const { at: t, event: e } of events) c = apply(c, e, t)
          const until = at + tail
          expect(elapsedMs(c, until)).toBe(naive(events, until, idleMs))
        }
      )
    )
  })

  it('formats minutes and hours', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(75_999)).toBe('1:15')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
    expect(formatDuration(-5)).toBe('0:00')
  })
})
