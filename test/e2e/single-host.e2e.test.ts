import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_FILE } from '#main/history/lock.ts'
import { DATABASE_FILE } from '#main/history/database.ts'
import { HistoryStore } from '#main/history/store.ts'
import { connectHostApi } from '#test/helpers/host-api.ts'
import { ROOT, startHostProcess } from './harness.ts'
import { tempDir } from '#test/helpers/tmp.ts'

/** Runs a second host to its end and returns its exit code and output. */
function runToEnd(dataDir: string): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, [
    join(ROOT, 'src/main/shells/host/main.ts'),
    '--data-dir',
    dataDir,
    '--port',
    '0'
  ])
  let output = ''
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()))
  return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, output })))
}

describe('two Node hosts on one data folder', () => {
  it('the second refuses with a clear message; after the first is killed a new one starts', async () => {
    const dir = tempDir()
    const first = await startHostProcess(dir)
    try {
      const second = await runToEnd(dir)
      expect(second.code).toBe(1)
      expect(second.output).toContain(`sightline web: another Sightline host is using ${dir} (pid ${first.proc.pid})`)
      await first.stop('SIGKILL')
      const third = await startHostProcess(dir)
      expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: third.proc.pid })
      await third.stop()
      expect(readdirSync(dir)).not.toContain(LOCK_FILE)
    } finally {
      await first.stop('SIGKILL')
    }
  })
})

describe('stopping the Node host', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s it closes its server, ends the evaluator, closes the database, releases the lock and exits 0',
    async (signal) => {
      const dir = tempDir()
      const host = await startHostProcess(dir)
      try {
        const client = await connectHostApi(host.origin, host.token)
        const { attemptId } = await client.api.startAttempt({ referenceId: 'bundled:cube' })
        const points = [0, 1, 2, 3].map((i) => ({
          x: 150 + 40 * i,
          y: 200,
          pressure: 0.5,
          tiltX: 0,
          tiltY: 0,
          t: 8 * i
        }))
        await client.api.commitStroke({ attemptId, stroke: { tool: 'pen', size: 4, points } })
        expect(readdirSync(dir)).toEqual(expect.arrayContaining([LOCK_FILE, `${DATABASE_FILE}-wal`]))
        await host.stop(signal)
        expect(host.proc.exitCode).toBe(0)
        expect(host.output()).not.toMatch(/shutting down|error/i)
        // The last connection closed cleanly (the write-ahead log is checkpointed and gone), and the lock is released.
        expect(readdirSync(dir).filter((n) => n === LOCK_FILE || n.startsWith(`${DATABASE_FILE}-`))).toEqual([])
        const store = HistoryStore.open(dir)
        expect(store.findUnfinishedAttempt()).toMatchObject({ attemptId, history: { cursor: 1 } })
        store.close()
      } finally {
        await host.stop('SIGKILL')
      }
    }
  )
})
