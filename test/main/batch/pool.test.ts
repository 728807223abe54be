import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runPool } from '#main/batch/pool.ts'
import { Progress, progressBar, progressLine } from '#main/batch/progress.ts'

const entry = new URL('./fixtures/pool-worker.ts', import.meta.url)

describe('the worker pool', () => {
  it('answers every task once, in place, on any number of workers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(50), { maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        async (tasks, workers) => {
          const seen: number[] = []
          const results = await runPool<number, number>(tasks, {
            entry,
            workers,
            onCrash: () => -999,
            onResult: (i) => seen.push(i)
          })
          expect(results).toEqual(tasks.map((t) => t * 2))
          expect([...seen].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i))
        }
      ),
      { numRuns: 8 }
    )
  }, 120_000)

  it('gives the task a dead worker was on the crash answer, and goes on with a new worker', async () => {
    const tasks = [1, 2, -1, 4, 5, -2, 7, 8, 9, 10]
    const crashes: string[] = []
    for (const workers of [1, 2]) {
      const results = await runPool<number, number | string>(tasks, {
        entry,
        workers,
        onCrash: (task, reason) => {
          crashes.push(reason)
          return `crashed on ${task}`
        }
      })
      expect(results).toEqual([2, 4, 'crashed on -1', 8, 10, 'crashed on -2', 14, 16, 18, 20])
    }
    expect(crashes.some((r) => r.includes('exit code 3'))).toBe(true)
    expect(crashes.some((r) => r.includes('boom'))).toBe(true)
  }, 60_000)

  it('answers each task once even when a worker answers and dies in the same breath', async () => {
    for (let run = 0; run < 6; run++) {
      const tasks = [1, -4, 3, 4, -4, 6, 7, 8]
      const seen: number[] = []
      const results = await runPool<number, number | string>(tasks, {
        entry,
        workers: 2,
        onCrash: (task) => `crashed on ${task}`,
        onResult: (i) => seen.push(i)
      })
      expect([...seen].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i))
      tasks.forEach((t, i) => {
        if (t === -4) expect([-8, 'crashed on -4']).toContain(results[i])
        else expect(results[i]).toBe(t * 2)
      })
    }
  }, 60_000)
})

describe('a pool whose workers cannot start', () => {
  it('still answers every task (with the reason) and ends', async () => {
    const results = await runPool<number, string>([1, 2, 3], {
      entry: new URL('./fixtures/broken-worker.ts', import.meta.url),
      workers: 1,
      onCrash: (task, reason) => `${task}: ${reason}`
    })
    expect(results).toHaveLength(3)
    for (const r of results) expect(r).toContain('this worker cannot start')
  }, 60_000)
})

describe('progress', () => {
  it('draws a bar with counts, rate and time left', () => {
    expect(progressBar({ done: 150, total: 300, skipped: 2, elapsedMs: 3000 }, 10)).toBe(
      '[#####-----]  150/300  2 skipped  50.0/s  3 s left'
    )
    expect(progressBar({ done: 0, total: 5, skipped: 0, elapsedMs: 0 }, 4)).toBe('[----]  0/5')
    expect(progressLine({ done: 30, total: 300, skipped: 1, elapsedMs: 1 })).toBe('scored 30 of 300 (10 %), 1 skipped')
  })

  it('writes plain lines at each tenth when not on a terminal, and one redrawn line on one', () => {
    const log: string[] = []
    const p = new Progress({ isTTY: false, write: (t) => log.push(t) }, 25)
    for (let i = 0; i < 25; i++) p.tick(i !== 3)
    p.end()
    expect(log).toHaveLength(10)
    expect(log[0]).toBe('scored 3 of 25 (12 %)\n')
    expect(log[1]).toBe('scored 5 of 25 (20 %), 1 skipped\n')
    expect(log[9]).toBe('scored 25 of 25 (100 %), 1 skipped\n')
    const tty: string[] = []
    const q = new Progress({ isTTY: true, write: (t) => tty.push(t) }, 3)
    for (let i = 0; i < 3; i++) q.tick(true)
    q.end()
    expect(tty[0].startsWith('\r[')).toBe(true)
    expect(tty.at(-2)).toContain('3/3')
    expect(tty.at(-1)).toBe('\n')
  })
})
