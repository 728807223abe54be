// A history that lost changes it had committed (its -wal file deleted or damaged, the database
// emptied or deleted) is told from an intact one at start-up: the count of changes recorded beside
// it and in its backups is higher than its own. It is said once, what was found is kept, and the
// newest backup is offered; close() leaves everything in history.sqlite alone.
import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DATABASE_FILE } from '#main/history/database.ts'
import { History } from '#main/history/history.ts'
import { HistoryStore } from '#main/history/store.ts'
import { readWriteCount, WRITE_COUNT_FILE } from '#main/history/write-count.ts'
import { testDir } from './fixtures/dirs.ts'
import { runFixture } from './fixtures/child.ts'
import { reference, scored, stroke } from './fixtures/data.ts'

const open: { close(): void }[] = []
afterEach(() => {
  for (const s of open.splice(0)) s.close()
})

function store(dir: string): HistoryStore {
  const s = HistoryStore.open(dir)
  open.push(s)
  return s
}

function history(dir: string, now: Date): History {
  const h = new History(dir, { now: () => now })
  open.push(h)
  return h
}

/** `attempts` finished attempts of 3 strokes each, closed cleanly (everything in history.sqlite). */
function cleanHistory(dir: string, attempts: number): string[] {
  const s = HistoryStore.open(dir)
  s.upsertReference(reference())
  const ids: string[] = []
  for (let a = 0; a < attempts; a++) {
    const { attemptId } = s.createAttempt({ referenceId: 'bundled:cube' })
    for (let k = 0; k < 3; k++)
      s.appendJournal(attemptId, {
        op: { kind: 'stroke', stroke: stroke(a * 10 + k) },
        evaluation: scored(k),
        activeMs: k
      })
    s.finishAttempt(attemptId, { evaluation: scored(1), activeMs: 10 })
    ids.push(attemptId)
  }
  s.close()
  return ids
}

const wal = (dir: string): string => join(dir, `${DATABASE_FILE}-wal`)
const DAY = 24 * 3600 * 1000
const T0 = new Date(Date.UTC(2026, 2, 1, 9))

describe('close()', () => {
  it('checkpoints everything into history.sqlite: losing the -wal afterwards loses nothing', () => {
    const dir = testDir()
    const ids = cleanHistory(dir, 4)
    expect(existsSync(wal(dir)) ? statSync(wal(dir)).size : 0).toBe(0)
    rmSync(wal(dir), { force: true })
    const again = store(dir)
    expect(again.recovered).toBeNull()
    expect(ids.map((id) => again.attemptJournal(id).entries.length)).toEqual([3, 3, 3, 3])
  })

  it('is what History.close() does too, and is safe to call twice', () => {
    const dir = testDir()
    const h = new History(dir)
    const s = h.store()
    s.upsertReference(reference())
    const { attemptId } = s.createAttempt({ referenceId: 'bundled:cube' })
    s.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: scored(1), activeMs: 1 })
    expect(statSync(wal(dir)).size).toBeGreaterThan(0)
    h.close()
    h.close()
    expect(existsSync(wal(dir)) ? statSync(wal(dir)).size : 0).toBe(0)
    expect(s.isOpen).toBe(false)
    expect(readWriteCount(dir)?.writes).toBe(2) // the attempt and its edit
  })
})

describe('a history that lost committed changes', () => {
  it('killed with SIGKILL and its -wal deleted: found, said once, the rest kept', async () => {
    const dir = testDir()
    cleanHistory(dir, 2)
    const child = runFixture('journal-writer.ts', [dir, '21'])
    await child.waitFor(/committed 30\n/)
    child.proc.kill('SIGKILL')
    await child.exited
    expect(statSync(wal(dir)).size).toBeGreaterThan(0)
    const recorded = readWriteCount(dir)?.writes ?? 0
    // Two attempts of 5 changes each (created, 3 edits, finished), then one more and its 30 edits.
    expect(recorded).toBeGreaterThanOrEqual(2 * 5 + 1 + 30)
    rmSync(wal(dir))

    const s = store(dir)
    expect(s.recovered).toMatchObject({
      reason: expect.stringMatching(
        /its -wal file, which held the latest changes, was missing: \d+ changes to the history/
      ),
      movedTo: null
    })
    const lost = Number(/: (\d+) changes/.exec(s.recovered?.reason ?? '')?.[1])
    expect(lost).toBe(recorded - s.changes())
    // What was checkpointed is all there and the history goes on.
    expect((await s.listAttempts({ page: 0, pageSize: 10 })).total).toBe(2)
    s.close()
    open.length = 0
    // Said once: the next start finds nothing to say.
    expect(store(dir).recovered).toBeNull()
  })

  it('killed with SIGKILL and its -wal damaged: the -wal is kept as evidence', async () => {
    const dir = testDir()
    cleanHistory(dir, 2)
    const child = runFixture('journal-writer.ts', [dir, '22'])
    await child.waitFor(/committed 5\n/)
    child.proc.kill('SIGKILL')
    await child.exited
    const junk = Buffer.from('not a write-ahead log '.repeat(300))
    writeFileSync(wal(dir), junk)
    const again = store(dir)
    expect(again.recovered?.reason).toMatch(/its -wal file, which held the latest changes, is damaged or not its own/)
    expect(again.recovered?.movedTo).toMatch(/history\.lost-.*\.sqlite-wal$/)
    expect(readFileSync(again.recovered?.movedTo as string)).toEqual(junk)
  })

  it('emptied to 0 bytes: said, and the newest backup offered and restored', async () => {
    const dir = testDir()
    const ids = cleanHistory(dir, 3)
    const first = history(dir, T0)
    await first.backupSettled()
    expect(first.backups()).toHaveLength(1)
    first.close()
    truncateSync(join(dir, DATABASE_FILE), 0)

    const h = history(dir, new Date(T0.getTime() + 2 * DAY))
    await h.backupSettled()
    const status = h.status()
    expect(status).toMatchObject({
      state: 'ready',
      recovered: {
        reason: expect.stringMatching(/^history\.sqlite was empty \(0 bytes\): \d+ changes/),
        backup: { attempts: 3, name: expect.stringMatching(/^history-2026-03-01T09-00-00-000Z\.sqlite$/) }
      }
    })
    // No backup is made of a history that lost changes: the good one must not rotate out.
    expect(h.backups()).toHaveLength(1)
    const restored = await h.restore(status.recovered?.backup?.name as string)
    expect(restored.restored.attempts).toBe(3)
    expect(restored.replacedMovedTo).toMatch(/history\.replaced-.*\.sqlite$/)
    expect(restored.status).toMatchObject({ state: 'ready', recovered: null })
    expect(ids.map((id) => h.store().attemptJournal(id).entries.length)).toEqual([3, 3, 3])
    h.close()
    // The restored history is the one to expect from now on: nothing is reported next time.
    const next = history(dir, new Date(T0.getTime() + 3 * DAY))
    expect(next.status().recovered).toBeNull()
  })

  it('deleted, with its recorded count left: said as missing', () => {
    const dir = testDir()
    cleanHistory(dir, 1)
    rmSync(join(dir, DATABASE_FILE))
    const s = store(dir)
    expect(s.recovered?.reason).toMatch(/^history\.sqlite was missing: \d+ changes/)
  })

  it('replaced by an older copy with the count file gone too: told by the newest backup', async () => {
    const dir = testDir()
    cleanHistory(dir, 1)
    const old = readFileSync(join(dir, DATABASE_FILE))
    cleanHistory(dir, 2)
    const h = history(dir, T0)
    await h.backupSettled()
    h.close()
    open.length = 0
    writeFileSync(join(dir, DATABASE_FILE), old)
    rmSync(join(dir, WRITE_COUNT_FILE))
    const s = store(dir)
    expect(s.recovered).toMatchObject({
      reason: expect.stringMatching(/older than its newest backup/),
      backup: { attempts: 3 }
    })
  })

  it('a first start, and a history found intact, say nothing', () => {
    const dir = testDir()
    expect(store(dir).recovered).toBeNull()
    open.splice(0).forEach((s) => s.close())
    cleanHistory(dir, 2)
    expect(store(dir).recovered).toBeNull()
  })
})
