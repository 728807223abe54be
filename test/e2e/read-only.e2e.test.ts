// A read-only data folder starts the studio with the history off, says why, and drawing goes on.
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_FILE } from '#main/history/lock.ts'
import { connectHostApi } from '#test/helpers/host-api.ts'
import { makeReadOnly, readOnlyUnsupported } from '#test/main/history/fixtures/read-only.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { startHostProcess } from './harness.ts'

describe('the Node host on a read-only data folder', () => {
  it.skipIf(readOnlyUnsupported !== null)('starts with the history off, says so, and scores strokes', async () => {
    const dir = join(tempDir(), 'data')
    mkdirSync(dir)
    const undo = makeReadOnly(dir)
    try {
      const host = await startHostProcess(dir)
      try {
        expect(host.output()).toContain('is read-only or not writable by this user: the history is off for this run')
        const { api, close } = await connectHostApi(host.origin, host.token)
        try {
          const status = await api.historyStatus()
          expect(status).toMatchObject({ state: 'unavailable', problem: expect.stringContaining('drawing goes on') })
          const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
          const points = Array.from({ length: 10 }, (_, i) => ({
            x: 150 + 20 * i,
            y: 180,
            pressure: 0.6,
            tiltX: 0,
            tiltY: 0,
            t: i * 8
          }))
          const result = await api.commitStroke({ attemptId, stroke: { tool: 'pen', size: 4, points } })
          expect(result.evaluation.status).toBe('scored')
          expect(result.saveProblem).toContain('read-only')
          expect((await api.undo({ attemptId })).evaluation.status).toBe('empty')
        } finally {
          close()
        }
        expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
      } finally {
        await host.stop()
      }
    } finally {
      undo()
    }
  })
})
