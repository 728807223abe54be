import { describe, expect, it } from 'vitest'
import {
  MISSING_AFTER,
  TabletStats,
  buttonNames,
  pressureFix,
  systemOf,
  type TabletSample
} from '#renderer/tablet/tablet-stats.ts'

const pen = (pressure: number, timeStamp: number, over: Partial<TabletSample> = {}): TabletSample => ({
  pointerType: 'pen',
  pressure,
  tiltX: 10,
  tiltY: -5,
  buttons: 1,
  timeStamp,
  ...over
})

describe('the tablet check', () => {
  it('says pressure works once it varies, or is a value no pressure-less device reports', () => {
    const s = new TabletStats()
    expect(s.verdict).toBe('no-pen')
    s.event({ ...pen(0, 0), pointerType: 'mouse' })
    expect(s.verdict).toBe('no-pen')
    s.event(pen(0.5, 1))
    expect(s.verdict).toBe('waiting')
    s.event(pen(0.52, 2))
    expect(s.verdict).toBe('working')
    expect(s.range).toEqual({ min: 0.5, max: 0.52 })
    const light = new TabletStats()
    light.event(pen(0.07, 0))
    expect(light.verdict).toBe('working')
  })

  it('says pressure is missing after many touching samples of one placeholder value, not while hovering', () => {
    const s = new TabletStats()
    for (let i = 0; i < 100; i++) s.event(pen(0, i, { buttons: 0 })) // hovering
    expect(s.verdict).toBe('no-pen')
    for (let i = 0; i < MISSING_AFTER - 1; i++) s.event(pen(0.5, 100 + i))
    expect(s.verdict).toBe('waiting')
    s.event(pen(0.5, 200))
    expect(s.verdict).toBe('missing')
  })

  it('counts samples in the last second and coalesced samples per event', () => {
    const s = new TabletStats()
    // 200 samples per second for 2 s, 4 per event.
    for (let e = 0; e < 100; e++) {
      const samples = [0, 1, 2, 3].map((k) => pen(0.3, (e * 4 + k) * 5))
      s.event(samples[3], samples)
    }
    expect(s.samplesPerSecond).toBe(201) // the window holds both ends: t - 1000 .. t
    expect(s.samplesPerEvent).toBe(4)
    expect(s.history).toHaveLength(240)
  })

  it('notices the eraser end and the barrel button, and names the buttons', () => {
    const s = new TabletStats()
    s.event(pen(0.4, 0, { buttons: 3 }))
    expect([s.barrelSeen, s.eraserSeen]).toEqual([true, false])
    s.event(pen(0.4, 1, { buttons: 32 }))
    expect(s.eraserSeen).toBe(true)
    expect(buttonNames(3, 'pen')).toEqual(['tip', 'barrel'])
    expect(buttonNames(33, 'pen')).toEqual(['tip', 'eraser'])
    expect(buttonNames(2, 'mouse')).toEqual(['secondary'])
  })

  it('gives the fix for each system', () => {
    expect(systemOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/140')).toBe('windows')
    expect(systemOf('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)')).toBe('mac')
    expect(systemOf('Mozilla/5.0 (X11; Linux x86_64)')).toBe('linux')
    expect(pressureFix('windows', true)).toContain('Windows Ink')
    expect(pressureFix('linux', true)).toContain('Display server')
    expect(pressureFix('linux', false)).toContain('--ozone-platform-hint=auto')
    expect(pressureFix('mac', true)).toContain('Privacy & Security')
  })
})
