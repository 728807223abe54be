// A few thousand hostile payloads from a seed (tools/fuzz/cases.ts) over the host's real socket,
// at the real studio's services: raw HTTP (targets, escapes, headers, upgrades), malformed
// frames, and well-formed requests for every API method with hostile arguments. Every one is
// answered or refused, none hangs, none is an internal error, and the host serves its page and
// answers appInfo after every batch. (`npm run fuzz` runs the same for 20,000+ against `npm run web`.)
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startHost } from '#main/shells/host/server.ts'
import { runFuzz } from '#tools/fuzz/run.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const TOKEN = 'fuzz-token-abcdefghijklmnopqrstuvwx'

describe('the host under a few thousand hostile payloads', () => {
  it('answers or refuses each one, hangs on none, gives no internal error and keeps serving', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'renderer'))
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>studio</title>')
    const studio = await openStudio({ dataDir: join(dir, 'data') })
    // Idle connections closed sooner than the default 5 s, or the cases that send half a request
    // and wait would make this test slow; everything else is the host as `npm run web` runs it.
    const host = await startHost({
      api: studio.api,
      rendererDir: join(dir, 'renderer'),
      token: TOKEN,
      limits: { idleMs: 500 }
    })
    try {
      const report = await runFuzz(
        { port: host.port, token: TOKEN, alive: () => true },
        { seed: 20_240_611, count: 3_000, answerMs: 15_000 }
      )
      expect(report.problems).toEqual([])
      expect({ tried: report.tried, hung: report.hung, crashed: report.crashed }).toEqual({
        tried: 3_000,
        hung: 0,
        crashed: 0
      })
      expect(report.answered + report.refused).toBe(3_000)
      // The cases reached the services, not only the doors: calls answered, and refused for each reason.
      expect(report.answered).toBeGreaterThan(200)
      for (const code of ['invalid-input', 'not-found', 'bad-image', 'http 400', 'http 403', 'http 404'])
        expect(report.codes[code], code).toBeGreaterThan(0)
      expect(report.codes.internal).toBeUndefined()
    } finally {
      await host.close()
    }
  }, 240_000)
})
