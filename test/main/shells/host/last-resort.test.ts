import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UNCAUGHT_MARK } from '#main/shells/host/last-resort.ts'

describe("the host's last resort", () => {
  it('logs an uncaught error and an unhandled rejection with its mark, and the process goes on', () => {
    const child = join(import.meta.dirname, 'fixtures', 'last-resort-child.ts')
    const run = spawnSync(process.execPath, [child], { encoding: 'utf8', timeout: 20_000 })
    expect(run.status).toBe(0)
    expect(run.stdout.trim()).toBe('still here')
    expect(run.stderr).toContain(`${UNCAUGHT_MARK} (uncaughtException): Error: a bug in a timer`)
    expect(run.stderr).toContain(`${UNCAUGHT_MARK} (unhandled rejection): Error: a bug in a promise`)
  })
})
