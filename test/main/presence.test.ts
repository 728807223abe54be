import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dispatch } from '#main/api/dispatch.ts'
import { StudioPresence } from '#main/presence.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'

describe('which window holds the studio', () => {
  it('a second window is told the studio is open elsewhere, may take over, and the first then hears so', () => {
    let t = 0
    const p = new StudioPresence(10_000, () => t)
    expect(p.claim(A, false)).toEqual({ state: 'yours' })
    t = 3000
    expect(p.claim(B, false)).toEqual({ state: 'elsewhere' })
    expect(p.heartbeat(A)).toEqual({ state: 'yours' })
    expect(() => p.check(B)).not.toThrow() // B never held it: nothing to refuse yet (it cannot draw: its page waits)
    expect(p.claim(B, true)).toEqual({ state: 'yours' })
    expect(p.heartbeat(A)).toEqual({ state: 'taken-over' })
    expect(() => p.check(A)).toThrow(/taken over by another tab or window/)
    expect(() => p.check(B)).not.toThrow()
    expect(() => p.check(undefined)).not.toThrow()
    // A takes it back.
    expect(p.claim(A, true)).toEqual({ state: 'yours' })
    expect(p.heartbeat(B)).toEqual({ state: 'taken-over' })
  })

  it('lets go of a window that stopped its heartbeat, or closed', () => {
    let t = 0
    const p = new StudioPresence(10_000, () => t)
    p.claim(A, false)
    t = 9_000
    expect(p.claim(B, false)).toEqual({ state: 'elsewhere' })
    t = 20_001
    expect(p.claim(B, false)).toEqual({ state: 'yours' })
    p.release(B)
    expect(p.claim(A, false)).toEqual({ state: 'yours' })
  })

  it('never has two windows told "yours" by their last answer (fuzzed)', () => {
    const windows = [A, B, '33333333-3333-4333-8333-333333333333']
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            w: fc.integer({ min: 0, max: 2 }),
            op: fc.constantFrom('claim', 'take', 'beat', 'release'),
            dt: fc.integer({ min: 0, max: 15_000 })
          }),
          { maxLength: 40 }
        ),
        (steps) => {
          let t = 0
          const p = new StudioPresence(10_000, () => t)
          const last = new Map<string, string>()
          for (const s of steps) {
            t += s.dt
            const id = windows[s.w]
            if (s.op === 'release') {
              p.release(id)
              last.delete(id)
              continue
            }
            const answer = s.op === 'beat' ? p.heartbeat(id) : p.claim(id, s.op === 'take')
            last.set(id, answer.state)
            // A window told "yours" just now is the only one whose edits pass among those that held it.
            if (answer.state === 'yours')
              for (const other of windows) if (other !== id && last.get(other) === 'yours') last.set(other, 'stale')
          }
          const holders = [...last.values()].filter((s) => s === 'yours')
          expect(holders.length).toBeLessThanOrEqual(1)
        }
      )
    )
  })

  it('refuses the edits of a window the studio was taken from, through the API', async () => {
    const { api } = await openStudio({ dataDir: tempDir() })
    expect(await api.claimStudio({ windowId: A, takeOver: false })).toEqual({ state: 'yours' })
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    const stroke = {
      tool: 'pen' as const,
      size: 3,
      points: [{ x: 50, y: 50, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }]
    }
    expect((await api.commitStroke({ attemptId, stroke, windowId: A })).cursor).toBe(1)
    expect(await api.claimStudio({ windowId: B, takeOver: false })).toEqual({ state: 'elsewhere' })
    expect(await api.claimStudio({ windowId: B, takeOver: true })).toEqual({ state: 'yours' })
    expect(await dispatch(api, 'commitStroke', { attemptId, stroke, windowId: A })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('taken over') }
    })
    expect(await api.studioHeartbeat({ windowId: A })).toEqual({ state: 'taken-over' })
    expect((await api.commitStroke({ attemptId, stroke, windowId: B })).cursor).toBe(2)
    expect(await dispatch(api, 'claimStudio', { windowId: 'nope', takeOver: true })).toMatchObject({ ok: false })
  })
})
