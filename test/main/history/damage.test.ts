// What the history reads back is checked: NaN or wrong types in a row are a `storage` problem
// naming the attempt (never `internal`, never NaN on screen), one damaged attempt is listed as
// damaged while the rest of the history shows, and soft-deleted attempts are purged after their
// grace period.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { openStudio } from '#test/helpers/studio.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { packRaw } from '#main/history/points.ts'
import { HistoryStore, PURGE_AFTER_MS } from '#main/history/store.ts'
import type { AttemptPage, StudioApi } from '#shared/contract/api.ts'
import { testDir } from './fixtures/dirs.ts'
import { reference, scored, stroke } from './fixtures/data.ts'

const stores: HistoryStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

async function studio(dataDir: string): Promise<StudioApi> {
  return (await openStudio({ dataDir })).api
}

/** Three finished attempts with thumbnails and one unfinished; closed. */
async function seed(dir: string): Promise<string[]> {
  const store = HistoryStore.open(dir)
  store.upsertReference(reference())
  const thumb = new Uint8Array(
    await sharp({ create: { width: 4, height: 4, channels: 3, background: 'blue' } })
      .png()
      .toBuffer()
  )
  const ids: string[] = []
  for (let i = 0; i < 4; i++) {
    const { attemptId } = store.createAttempt({
      referenceId: 'bundled:cube',
      startedAt: new Date(Date.UTC(2026, 0, 1 + i))
    })
    store.appendJournal(attemptId, { op: { kind: 'stroke', stroke: stroke(i) }, evaluation: scored(5), activeMs: 10 })
    store.appendJournal(attemptId, {
      op: { kind: 'stroke', stroke: stroke(i + 9) },
      evaluation: scored(4),
      activeMs: 20
    })
    if (i < 3) {
      store.finishAttempt(attemptId, { evaluation: scored(4), activeMs: 20 })
      await store.saveAttemptFiles(attemptId, { thumbPng: thumb })
    }
    ids.push(attemptId)
  }
  store.close()
  return ids
}

/** Change rows behind the store's back, as a damaged disk or a hand edit would. */
function tamper(dir: string, sql: string, ...params: (string | number | Uint8Array | null)[]): void {
  const db = new DatabaseSync(join(dir, 'history.sqlite'))
  db.prepare(sql).run(...params)
  db.close()
}

describe('damaged values read back from the history', () => {
  it('NaN in stored stroke points is a storage problem naming the attempt, for replay and for resuming', async () => {
    const dir = testDir()
    const ids = await seed(dir)
    const bad = stroke(3)
    bad.points[2] = { ...bad.points[2], y: NaN }
    for (const id of [ids[0], ids[3]])
      tamper(
        dir,
        'UPDATE journal SET points = ?, points_codec = 0 WHERE attempt_id = ? AND seq = 2',
        packRaw(bad.points),
        id
      )
    const api = await studio(dir)
    const journal = await dispatch(api, 'attemptJournal', { attemptId: ids[0] })
    expect(journal).toEqual({
      ok: false,
      error: {
        code: 'storage',
        message: expect.stringMatching(
          new RegExp(
            `^attempt "${ids[0]}" in the history .*history\\.sqlite is damaged: edit 2: its stroke is damaged \\(point 3 has y NaN\\)`
          )
        )
      }
    })
    const resumed = await dispatch(api, 'resumeAttempt', undefined)
    expect(resumed).toMatchObject({ ok: false, error: { code: 'storage', message: expect.stringContaining(ids[3]) } })
    // The other attempts read as before.
    expect(await dispatch(api, 'attemptJournal', { attemptId: ids[1] })).toMatchObject({ ok: true })
  })

  it('wrong types in a stored evaluation or ink settings are storage problems too', async () => {
    const dir = testDir()
    const ids = await seed(dir)
    tamper(dir, `UPDATE journal SET evaluation = '{"status":"scored","top5Error":"high"}' WHERE attempt_id = ?`, ids[1])
    tamper(dir, `UPDATE attempts SET evaluation = '{"status":"scored"}' WHERE id = ?`, ids[2])
    const api = await studio(dir)
    expect(await dispatch(api, 'attemptJournal', { attemptId: ids[1] })).toMatchObject({
      ok: false,
      error: { code: 'storage', message: expect.stringMatching(/edit 1: its score is damaged .*at top5Error/) }
    })
    expect(await dispatch(api, 'attemptDetails', { attemptId: ids[2] })).toMatchObject({
      ok: false,
      error: { code: 'storage', message: expect.stringMatching(/its evaluation is damaged/) }
    })
    tamper(dir, `UPDATE reference_images SET ink_settings = '{"mode":"threshold","threshold":-4}'`)
    const again = await studio(dir)
    expect(await dispatch(again, 'resumeAttempt', undefined)).toMatchObject({
      ok: false,
      error: {
        code: 'storage',
        message: expect.stringMatching(/reference "bundled:cube" .* is damaged: its ink settings/)
      }
    })
  })

  it('a damaged attempt folder or figure marks that attempt, and the rest of the list shows', async () => {
    const dir = testDir()
    const ids = await seed(dir)
    const folder = (id: string): string => join(dir, 'attempts', id)
    // A folder where the thumbnail should be, a thumbnail that is not a PNG, a score of infinity.
    rmSync(join(folder(ids[0]), 'thumb.png'))
    mkdirSync(join(folder(ids[0]), 'thumb.png'))
    writeFileSync(join(folder(ids[1]), 'thumb.png'), 'GIF89a, not a PNG')
    tamper(dir, 'UPDATE attempts SET top5_error = ? WHERE id = ?', Number.POSITIVE_INFINITY, ids[2])
    const api = await studio(dir)
    const page = await dispatch(api, 'listAttempts', {})
    if (!page.ok) throw new Error(page.error.message)
    const items = (page.value as AttemptPage).items
    const byId = new Map(items.map((a) => [a.attemptId, a]))
    expect(items).toHaveLength(4)
    expect(byId.get(ids[0])).toMatchObject({ thumbnailPng: null, damaged: expect.stringMatching(/thumb\.png/) })
    expect(byId.get(ids[1])).toMatchObject({
      thumbnailPng: null,
      damaged: expect.stringMatching(/thumb\.png is not a PNG image/)
    })
    expect(byId.get(ids[2])).toMatchObject({ top5Error: null, damaged: 'its score is Infinity, not a figure' })
    expect(byId.get(ids[3])?.damaged).toBeUndefined()
    // The details of a damaged attempt say what is wrong; the chart leaves the bad figure out.
    expect(await dispatch(api, 'attemptDetails', { attemptId: ids[2] })).toMatchObject({
      ok: false,
      error: { code: 'storage', message: expect.stringMatching(/is damaged: its score is Infinity/) }
    })
    const chart = await dispatch(api, 'progressSeries', { referenceId: 'bundled:cube' })
    expect(chart).toMatchObject({ ok: true, value: { points: [{ attemptId: ids[0] }, { attemptId: ids[1] }] } })
    expect(await dispatch(api, 'exportHistory', { format: 'csv' })).toMatchObject({ ok: true })
  })
})

describe('soft-deleted attempts', () => {
  it('are purged with their files once deleted longer ago than the grace period, not before', async () => {
    const dir = testDir()
    const ids = await seed(dir)
    const now = Date.UTC(2026, 5, 1)
    const store = HistoryStore.open(dir)
    store.deleteAttempt(ids[0], new Date(now - PURGE_AFTER_MS - 1000))
    store.deleteAttempt(ids[1], new Date(now - PURGE_AFTER_MS + 60_000))
    store.close()
    const later = HistoryStore.open(dir, { now: () => new Date(now) })
    stores.push(later)
    expect(later.purged).toBe(1)
    expect(() => later.attemptJournal(ids[0])).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(later.restoreAttempt(ids[1])).toEqual({ attemptId: ids[1] })
    for (let i = 0; i < 50 && existsSync(join(dir, 'attempts', ids[0])); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(existsSync(join(dir, 'attempts', ids[0]))).toBe(false)
    expect(existsSync(join(dir, 'attempts', ids[1], 'thumb.png'))).toBe(true)
  })
})
