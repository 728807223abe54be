// Daily backups of the history: made at start-up when the newest is a day old, the last few kept,
// listed and restored through the API (payloads validated), the replaced history kept aside.
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStudio } from '#test/helpers/studio.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { BACKUP_FOLDER, KEEP_BACKUPS } from '#main/history/backups.ts'
import { History } from '#main/history/history.ts'
import type { HistoryBackup } from '#shared/contract/history.ts'
import type { Envelope } from '#shared/contract/errors.ts'
import { testDir } from './fixtures/dirs.ts'
import { reference, scored, stroke } from './fixtures/data.ts'

const open: History[] = []
afterEach(() => {
  for (const h of open.splice(0)) h.close()
})

const HOUR = 3600 * 1000

/** The value of an answer that must have succeeded. */
function ok<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`)
  return envelope.value as T
}
const T0 = Date.UTC(2026, 3, 1, 8)

/** Start the studio's history at `at`, add one finished attempt, let the start-up backup finish, stop. */
async function dayOfDrawing(dir: string, at: number): Promise<History> {
  const h = new History(dir, { now: () => new Date(at) })
  open.push(h)
  await h.backupSettled()
  const store = h.store()
  store.upsertReference(reference())
  const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date(at) })
  store.appendJournal(attemptId, {
    op: { kind: 'stroke', stroke: stroke(at % 97) },
    evaluation: scored(3),
    activeMs: 5
  })
  store.finishAttempt(attemptId, { evaluation: scored(3), activeMs: 5 })
  h.close()
  return h
}

describe('history backups', () => {
  it('are made once a day at start-up (none of an empty history), newest first, the last few kept', async () => {
    const dir = testDir()
    await dayOfDrawing(dir, T0) // empty at start: nothing to back up
    expect(existsSync(join(dir, BACKUP_FOLDER))).toBe(false)
    await dayOfDrawing(dir, T0 + 1 * HOUR) // first backup (1 attempt)
    await dayOfDrawing(dir, T0 + 5 * HOUR) // the same day: none
    const h = await dayOfDrawing(dir, T0 + 25 * HOUR) // a day later: another
    expect(h.backups().map((b) => [b.at, b.attempts])).toEqual([
      [new Date(T0 + 25 * HOUR).toISOString(), 3],
      [new Date(T0 + 1 * HOUR).toISOString(), 1]
    ])
    for (let day = 2; day < 9; day++) await dayOfDrawing(dir, T0 + day * 25 * HOUR)
    const kept = h.backups()
    expect(kept).toHaveLength(KEEP_BACKUPS)
    expect(kept[0].at).toBe(new Date(T0 + 8 * 25 * HOUR).toISOString())
    expect(kept.map((b) => b.attempts)).toEqual([10, 9, 8, 7, 6])
    expect(readdirSync(join(dir, BACKUP_FOLDER)).filter((n) => n.endsWith('.tmp'))).toEqual([])
    expect(kept.every((b) => b.bytes > 0)).toBe(true)
  })

  it('are listed and restored through the API, payloads validated, the replaced history kept aside', async () => {
    const dir = testDir()
    // Ending ten hours ago, so the studio (started now) has no backup to make itself.
    const start = Date.now() - 60 * HOUR
    await dayOfDrawing(dir, start)
    await dayOfDrawing(dir, start + 25 * HOUR)
    await dayOfDrawing(dir, start + 50 * HOUR)
    const api = (await openStudio({ dataDir: dir })).api
    const listed = await dispatch(api, 'listHistoryBackups', undefined)
    expect(listed).toMatchObject({ ok: true })
    const backups = ok<HistoryBackup[]>(listed)
    expect(backups.map((b) => b.attempts)).toEqual([2, 1])
    expect(await dispatch(api, 'restoreHistoryBackup', { name: '../history.sqlite' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('a backup name is history-<time>.sqlite') }
    })
    expect(
      await dispatch(api, 'restoreHistoryBackup', { name: 'history-2020-01-01T00-00-00-000Z.sqlite' })
    ).toMatchObject({ ok: false, error: { code: 'not-found' } })
    expect(ok<{ total: number }>(await dispatch(api, 'listAttempts', {})).total).toBe(3)
    const restored = await dispatch(api, 'restoreHistoryBackup', { name: backups[1].name })
    expect(restored).toMatchObject({
      ok: true,
      value: {
        restored: { name: backups[1].name, attempts: 1 },
        replacedMovedTo: expect.stringMatching(/history\.replaced-.*\.sqlite$/),
        status: { state: 'ready', recovered: null }
      }
    })
    expect(ok<{ total: number }>(await dispatch(api, 'listAttempts', {})).total).toBe(1)
    const aside = ok<{ replacedMovedTo: string }>(restored).replacedMovedTo
    expect(existsSync(aside)).toBe(true)
    // The backups themselves are untouched by a restore.
    expect(ok<HistoryBackup[]>(await dispatch(api, 'listHistoryBackups', undefined))).toHaveLength(2)
  })

  it('skip a file in the backups folder that is not a readable history', async () => {
    const dir = testDir()
    await dayOfDrawing(dir, T0)
    await dayOfDrawing(dir, T0 + 25 * HOUR)
    writeFileSync(join(dir, BACKUP_FOLDER, 'history-2026-04-03T08-00-00-000Z.sqlite'), 'junk')
    const h = new History(dir, { now: () => new Date(T0 + 26 * HOUR) })
    open.push(h)
    expect(h.backups().map((b) => b.attempts)).toEqual([1])
  })
})
