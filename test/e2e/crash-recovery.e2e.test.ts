// Issue 6, "nothing lost": kill -9 the host in the middle of an attempt, start it again on the
// same data folder: the unfinished attempt comes back with every committed stroke, the same
// scores and the same reference.
import { afterEach, describe, expect, it } from 'vitest'
import type { EditResult } from '#shared/contract/api.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { snapStroke } from '#shared/stroke/snap.ts'
import { startHostProcess, type HostProcess } from './harness.ts'
import { connectHostApi } from '../helpers/host-api.ts'
import { tempDir } from '../helpers/tmp.ts'

function wobble(seed: number, tool: Stroke['tool'] = 'pen'): Stroke {
  const cx = 100 + ((seed * 73) % 300),
    cy = 100 + ((seed * 41) % 300)
  const points = Array.from({ length: 20 }, (_, i) => ({
    x: cx + i * 6 + Math.sin(i + seed) * 3,
    y: cy + Math.cos(i * 0.7 + seed) * 20,
    pressure: 0.3 + 0.6 * Math.abs(Math.sin(i * 0.3 + seed)),
    tiltX: (seed % 7) * 5,
    tiltY: -(seed % 5) * 4,
    t: i * 8.333333
  }))
  return { tool, size: tool === 'pen' ? 3 + (seed % 4) : 16, points }
}

const hosts: HostProcess[] = []
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.stop('SIGKILL')))
})

describe('crash recovery through the real host process', () => {
  it('brings back the attempt after kill -9 with every committed stroke and the same scores', async () => {
    const dataDir = tempDir()
    const host = await startHostProcess(dataDir)
    hosts.push(host)
    const { api, close } = await connectHostApi(host.origin, host.token)
    const { attemptId, referenceId } = await api.startAttempt({ referenceId: 'bundled:vase' })
    let last: EditResult | null = null
    for (let i = 0; i < 30; i++) {
      last = await api.commitStroke({
        attemptId,
        stroke: wobble(i, i % 9 === 8 ? 'eraser' : 'pen'),
        activeMs: 1000 * (i + 1)
      })
      if (i % 10 === 9) last = await api.undo({ attemptId, activeMs: 1000 * (i + 1) + 500 })
    }
    expect(last!.saveProblem).toBeNull()
    // Strokes in flight when the process dies are not committed; the ones answered are.
    void api.commitStroke({ attemptId, stroke: wobble(99), activeMs: 40_000 }).catch(() => undefined)
    await host.stop('SIGKILL')
    close()

    const again = await startHostProcess(dataDir)
    hosts.push(again)
    const second = await connectHostApi(again.origin, again.token)
    const resumed = await second.api.resumeAttempt()
    expect(resumed).not.toBeNull()
    expect(resumed!.attemptId).toBe(attemptId)
    expect(resumed!.referenceId).toBe(referenceId)
    // Either the in-flight stroke made it to the journal before the kill, or it did not.
    const extra = resumed!.cursor - last!.cursor
    expect([0, 1]).toContain(extra)
    if (extra === 0) {
      expect(resumed!.ops).toHaveLength(last!.opCount)
      expect(resumed!.evaluation).toEqual(last!.evaluation)
    } else {
      // It replaced the undone stroke at the end of the history.
      expect(resumed!.ops).toHaveLength(last!.cursor + 1)
      // As the studio keeps every stroke: on the point lattice (snap.ts).
      expect(resumed!.ops.at(-1)).toEqual({ kind: 'stroke', stroke: snapStroke(wobble(99)) })
    }
    // The attempt goes on in the new process.
    const next = await second.api.commitStroke({ attemptId, stroke: wobble(100), activeMs: 50_000 })
    expect(next.evaluation.status).toBe('scored')
    second.close()
  })
})
