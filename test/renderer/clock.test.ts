import { describe, expect, it } from 'vitest'
import { STOPPED, elapsedMs, formatDuration, pauseClock, resumeClock, startClock } from '#renderer/drawing/clock.ts'

describe('attempt clock', () => {
  it('starts at the first stroke and pauses while the window is hidden', () => {
    let c = STOPPED
    expect(elapsedMs(c, 5000)).toBe(0)
    c = resumeClock(c, 1000) // becoming visible before any stroke starts nothing
    expect(c.started).toBe(false)
    c = startClock(c, 1000, true)
    c = startClock(c, 1500, true) // later strokes change nothing
    expect(elapsedMs(c, 3000)).toBe(2000)
    c = pauseClock(c, 3000)
    expect(elapsedMs(c, 60_000)).toBe(2000)
    c = pauseClock(c, 61_000)
    expect(elapsedMs(c, 62_000)).toBe(2000)
    c = resumeClock(c, 62_000)
    expect(elapsedMs(c, 63_500)).toBe(3500)
  })

  it('stays paused when the first stroke comes while hidden, until shown', () => {
    let c = startClock(STOPPED, 1000, false)
    expect(elapsedMs(c, 9000)).toBe(0)
    c = resumeClock(c, 9000)
    expect(elapsedMs(c, 9500)).toBe(500)
  })

  it('formats minutes and hours', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(75_999)).toBe('1:15')
    expect(formatDuration(3_723_000)).toBe('1:02:03')
    expect(formatDuration(-5)).toBe('0:00')
  })
})
