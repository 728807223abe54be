import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireDataDirLock, LOCK_FILE, processStartOf } from '#main/history/lock.ts'
import { testDir } from './fixtures/dirs.ts'
import { runFixture } from './fixtures/child.ts'

const T = new Date(Date.UTC(2026, 10, 27, 12))

function owner(dir: string): unknown {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', '0'])
  await new Promise((resolve) => proc.once('exit', resolve))
  return proc.pid as number
}

describe('the data folder lock', () => {
  it('is taken in an empty folder and released', () => {
    const dir = testDir()
    const lock = acquireDataDirLock(dir, { pid: 4242, now: () => T, startOf: () => 'boot-1:77' })
    expect(owner(dir)).toEqual({ pid: 4242, startedAt: T.toISOString(), processStart: 'boot-1:77' })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
    lock.release()
    lock.release()
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses while its owner runs, naming the folder and the pid', () => {
    const dir = testDir()
    acquireDataDirLock(dir, { pid: 4242, now: () => T, startOf: () => 'boot-1:77' })
    expect(() =>
      acquireDataDirLock(dir, { pid: 5353, isRunning: (pid) => pid === 4242, startOf: () => 'boot-1:77' })
    ).toThrow(
      expect.objectContaining({
        code: 'storage',
        message: `another Sightline host is using ${dir} (pid 4242); if none is running, start with --take-over-lock`
      })
    )
    expect(owner(dir)).toEqual({ pid: 4242, startedAt: T.toISOString(), processStart: 'boot-1:77' })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
  })

  it('takes over the lock of a process that no longer runs', async () => {
    const dir = testDir()
    const dead = await deadPid()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, startedAt: T.toISOString() }))
    const lock = acquireDataDirLock(dir)
    expect(owner(dir)).toEqual(lock.owner)
    expect(lock.owner).toMatchObject({ pid: process.pid, processStart: processStartOf(process.pid) ?? undefined })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
    lock.release()
  })

  it('takes over the lock of a pid that runs but was started at another time (a reused pid)', async () => {
    const dir = testDir()
    // A live process under the recorded pid, started later than the recorded owner was.
    const other = runFixture('lock-taker.ts', [testDir()])
    await other.waitFor(/^got$/m)
    const pid = other.proc.pid as number
    const now = processStartOf(pid)
    if (process.platform === 'linux') expect(now).toMatch(/^linux:[0-9a-f-]+:\d+$/)
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid, startedAt: T.toISOString(), processStart: 'linux:an-earlier-boot:12345' })
    )
    try {
      const lock = acquireDataDirLock(dir)
      expect(owner(dir)).toMatchObject({ pid: process.pid })
      lock.release()
      // The same pid with its own start time holds the lock.
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, startedAt: T.toISOString(), processStart: now }))
      expect(() => acquireDataDirLock(dir)).toThrow(/another Sightline host is using .* \(pid \d+\)/)
      // A lock written before start times were recorded: a running pid holds it.
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, startedAt: T.toISOString() }))
      expect(() => acquireDataDirLock(dir)).toThrow(/another Sightline host is using/)
      // ...unless the user says no host is running.
      const taken = acquireDataDirLock(dir, { takeOver: true })
      expect(owner(dir)).toMatchObject({ pid: process.pid })
      taken.release()
    } finally {
      other.proc.stdin?.destroy()
      other.proc.kill()
      await other.exited
    }
  })

  it('records the start time of its own process, which stays the same while it runs', () => {
    const mine = processStartOf(process.pid)
    if (process.platform === 'win32') expect(mine).toBeNull()
    else expect(mine).not.toBeNull()
    expect(processStartOf(process.pid)).toBe(mine)
    expect(processStartOf(-1)).toBeNull()
  })

  it('takes over a damaged lock file', () => {
    const dir = testDir()
    writeFileSync(join(dir, LOCK_FILE), '')
    const lock = acquireDataDirLock(dir, { pid: 77, now: () => T, startOf: () => null })
    expect(owner(dir)).toEqual({ pid: 77, startedAt: T.toISOString() })
    lock.release()
  })

  it('is not removed by a former owner whose lock was taken over', () => {
    const dir = testDir()
    const first = acquireDataDirLock(dir, { pid: 1001, now: () => T })
    const second = acquireDataDirLock(dir, { pid: 1002, isRunning: () => false })
    first.release()
    expect(owner(dir)).toMatchObject({ pid: 1002 })
    second.release()
    expect(readdirSync(dir)).toEqual([])
  })

  it('goes to exactly one of several processes racing for a stale lock', async () => {
    const dir = testDir()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: await deadPid(), startedAt: T.toISOString() }))
    const children = Array.from({ length: 4 }, () => runFixture('lock-taker.ts', [dir]))
    const answers = await Promise.all(children.map((c) => c.waitFor(/^(got|refused: .*)$/m).then((m) => m[1])))
    const winners = children.filter((_, i) => answers[i] === 'got')
    expect(winners).toHaveLength(1)
    expect(answers.filter((a) => a !== 'got')).toEqual(
      Array(3).fill(
        `refused: another Sightline host is using ${dir} (pid ${winners[0].proc.pid}); if none is running, start with --take-over-lock`
      )
    )
    expect(owner(dir)).toMatchObject({ pid: winners[0].proc.pid })
    for (const c of children) c.proc.stdin?.destroy()
    children.forEach((c) => c.proc.kill())
    await Promise.all(children.map((c) => c.exited))
  })
})
