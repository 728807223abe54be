import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireDataDirLock, LOCK_FILE } from '#main/history/lock.ts'
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
    const lock = acquireDataDirLock(dir, { pid: 4242, now: () => T })
    expect(owner(dir)).toEqual({ pid: 4242, startedAt: T.toISOString() })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
    lock.release()
    lock.release()
    expect(readdirSync(dir)).toEqual([])
  })

  it('refuses while its owner runs, naming the folder and the pid', () => {
    const dir = testDir()
    acquireDataDirLock(dir, { pid: 4242, now: () => T })
    expect(() => acquireDataDirLock(dir, { pid: 5353, isRunning: (pid) => pid === 4242 })).toThrow(
      expect.objectContaining({ code: 'storage', message: `another Sightline host is using ${dir} (pid 4242)` })
    )
    expect(owner(dir)).toEqual({ pid: 4242, startedAt: T.toISOString() })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
  })

  it('takes over the lock of a process that no longer runs', async () => {
    const dir = testDir()
    const dead = await deadPid()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: dead, startedAt: T.toISOString() }))
    const lock = acquireDataDirLock(dir)
    expect(owner(dir)).toEqual({ pid: process.pid, startedAt: lock.owner.startedAt })
    expect(readdirSync(dir)).toEqual([LOCK_FILE])
    lock.release()
  })

  it('takes over a damaged lock file', () => {
    const dir = testDir()
    writeFileSync(join(dir, LOCK_FILE), '')
    const lock = acquireDataDirLock(dir, { pid: 77, now: () => T })
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
      Array(3).fill(`refused: another Sightline host is using ${dir} (pid ${winners[0].proc.pid})`)
    )
    expect(owner(dir)).toMatchObject({ pid: winners[0].proc.pid })
    for (const c of children) c.proc.stdin?.destroy()
    children.forEach((c) => c.proc.kill())
    await Promise.all(children.map((c) => c.exited))
  })
})
