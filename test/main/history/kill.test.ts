// Nothing lost on SIGKILL: a child process commits journal entries as fast as it can and is
// killed mid-stream; reopening the history finds the unfinished attempt with every entry whose
// commit had returned, bit for bit, and no partial one.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { naiveFold } from '#test/helpers/naive-history.ts'
import { HistoryStore } from '#main/history/store.ts'
import { editScoreOf } from '#main/history/stored.ts'
import { testDir } from './fixtures/dirs.ts'
import { runFixture } from './fixtures/child.ts'
import { reference, scored, session } from './fixtures/data.ts'

const stores: HistoryStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

describe('a history writer killed with SIGKILL', () => {
  for (const [seed, killAfter] of [
    [11, 40],
    [12, 173],
    [13, 420]
  ] as const) {
    it(`keeps every committed entry (seed ${seed}, killed after ${killAfter}+ commits)`, async () => {
      const dir = testDir()
      const child = runFixture('journal-writer.ts', [dir, String(seed)])
      const [, attemptId] = await child.waitFor(/attempt (\S+)\n/)
      await child.waitFor(new RegExp(`committed ${killAfter}\\n`))
      child.proc.kill('SIGKILL')
      expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' })
      const reported = Math.max(...[...child.output().matchAll(/committed (\d+)\n/g)].map((m) => Number(m[1])))
      expect(reported).toBeGreaterThanOrEqual(killAfter)

      const store = HistoryStore.open(dir)
      stores.push(store)
      const found = store.findUnfinishedAttempt()
      expect(found?.attemptId).toBe(attemptId)
      expect(found?.reference).toEqual(reference())
      const entries = found?.entries ?? []
      // Every reported commit is there; at most the one in flight at the kill is extra.
      expect(entries.length).toBeGreaterThanOrEqual(reported)
      expect(entries.length).toBeLessThanOrEqual(reported + 1)
      const expected = session(seed, entries.length)
      expect(entries.map((e) => e.seq)).toEqual(expected.map((_, i) => i + 1))
      expect(entries.map((e) => e.op)).toEqual(expected.map((e) => e.op))
      expect(entries.map((e) => e.evaluation)).toEqual(expected.map((e, i) => editScoreOf(scored(e.top5, i + 1))))
      expect(found?.evaluation).toEqual(scored(expected[expected.length - 1].top5, expected.length))
      expect(found?.activeMs).toBe(10 * entries.length)
      const replay = naiveFold(entries.map((e) => e.op))
      expect(replay.refused).toBeNull()
      expect(found?.history).toEqual({ ops: replay.history.all, cursor: replay.history.at })
      // The store is fully usable afterwards: the attempt goes on from where it was.
      expect(store.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: scored(0), activeMs: 1 })).toEqual({
        seq: entries.length + 1
      })
      expect(join(dir, 'history.sqlite')).toBe(store.path)
    })
  }
})
