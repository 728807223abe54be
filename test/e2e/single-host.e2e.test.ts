import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LOCK_FILE } from '#main/history/lock.ts'
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
