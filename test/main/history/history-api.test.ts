// The history part of the StudioApi, called as the studio calls it: through dispatch (zod
// validation) and, for bytes, through the host's wire encoding.
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { openStudio } from '#test/helpers/studio.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { HistoryStore } from '#main/history/store.ts'
import type { AttemptPage, StudioApi } from '#shared/contract/api.ts'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { testDir } from './fixtures/dirs.ts'
import { reference, scored, stroke } from './fixtures/data.ts'

async function studio(dataDir: string): Promise<StudioApi> {
  return (await openStudio({ dataDir })).api
}

/** Two finished attempts at the cube with thumbnails, one unfinished at the vase. */
async function seed(dataDir: string): Promise<{ ids: string[]; thumb: Uint8Array }> {
  const store = HistoryStore.open(dataDir)
  store.upsertReference(reference())
  store.upsertReference(reference('bundled:vase', 'Vase'))
  const thumb = new Uint8Array(
    await sharp({ create: { width: 6, height: 6, channels: 3, background: 'red' } })
      .png()
      .toBuffer()
  )
  const ids: string[] = []
  for (const [i, ref] of ['bundled:cube', 'bundled:cube', 'bundled:vase'].entries()) {
    const { attemptId } = store.createAttempt({ referenceId: ref, startedAt: new Date(Date.UTC(2026, 0, 1 + i)) })
    store.appendJournal(attemptId, {
      op: { kind: 'stroke', stroke: stroke(i) },
      evaluation: scored(10 - i),
      activeMs: 100
    })
    if (i < 2) {
      store.finishAttempt(attemptId, {
        evaluation: scored(10 - i),
        activeMs: 100,
        endedAt: new Date(Date.UTC(2026, 0, 1 + i, 1))
      })
      await store.saveAttemptFiles(attemptId, { thumbPng: thumb })
    }
    ids.push(attemptId)
  }
  store.close()
  return { ids, thumb }
}

describe('history API', () => {
  it('answers the history panel through dispatch, thumbnails included', async () => {
    const dir = testDir()
    const { ids, thumb } = await seed(dir)
    const api = await studio(dir)
    const page = await dispatch(api, 'listAttempts', { pageSize: 2 })
    expect(page).toMatchObject({ ok: true, value: { total: 3, page: 0, pageSize: 2 } })
    const items = (page as { value: AttemptPage }).value.items
    expect(items.map((a) => a.attemptId)).toEqual([ids[2], ids[1]])
    expect(items[0]).toMatchObject({
      referenceName: 'Vase',
      endedAt: null,
      top5Error: null,
      thumbnailPng: null,
      strokeCount: 1
    })
    expect(items[1]).toMatchObject({ referenceName: 'Cube', top5Error: 9, thumbnailPng: thumb })
    // Over the host's WebSocket the bytes travel as bytes and come back equal.
    const reply = { type: 'reply' as const, id: 1, ...(page as { ok: true; value: AttemptPage }) }
    expect(decodeFrame(encodeFrame(reply))).toEqual(reply)
    expect(await api.listAttempts({ referenceId: 'bundled:cube', page: 1, pageSize: 1 })).toMatchObject({
      total: 2,
      items: [{ attemptId: ids[0] }]
    })
    expect((await api.historyReferences()).map((r) => [r.referenceId, r.attemptCount, r.bestTop5Error])).toEqual([
      ['bundled:vase', 1, null],
      ['bundled:cube', 2, 9]
    ])
    expect(await api.progressSeries({ referenceId: 'bundled:cube' })).toMatchObject({
      best: { attemptId: ids[1], top5Error: 9 }
    })
    expect((await api.attemptJournal({ attemptId: ids[0] })).entries[0].op).toEqual({
      kind: 'stroke',
      stroke: stroke(0)
    })
    expect(await api.attemptDetails({ attemptId: ids[1] })).toMatchObject({
      evaluation: scored(9),
      scores: [{ seq: 1, kind: 'stroke', top5Error: 9 }]
    })
  })

  it('deletes and restores, and exports only what is not deleted', async () => {
    const dir = testDir()
    const { ids } = await seed(dir)
    const api = await studio(dir)
    expect(await dispatch(api, 'deleteAttempt', { attemptId: ids[0] })).toMatchObject({
      ok: true,
      value: { attemptId: ids[0] }
    })
    expect((await api.listAttempts({})).total).toBe(2)
    const csv = new TextDecoder().decode((await api.exportHistory({ format: 'csv' })).bytes)
    expect(csv).not.toContain(ids[0])
    expect(csv).toContain(ids[1])
    await api.restoreAttempt({ attemptId: ids[0] })
    const json = JSON.parse(
      new TextDecoder().decode((await api.exportHistory({ format: 'json', referenceId: 'bundled:cube' })).bytes)
    ) as { attempts: { attemptId: string }[] }
    expect(json.attempts.map((a) => a.attemptId)).toEqual([ids[0], ids[1]])
  })

  it('validates every argument before the store sees it', async () => {
    const dir = testDir()
    const api = await studio(dir)
    const bad: [string, unknown, RegExp][] = [
      ['listAttempts', { pageSize: 0 }, /at pageSize/],
      ['listAttempts', { pageSize: 201 }, /at pageSize/],
      ['listAttempts', { page: -1 }, /at page/],
      ['listAttempts', { page: 1.5 }, /at page/],
      ['listAttempts', { referenceId: 'Not An Id' }, /at referenceId/],
      ['listAttempts', { sort: 'asc' }, /sort/],
      ['listAttempts', undefined, /listAttempts/],
      ['attemptDetails', { attemptId: '../../etc/passwd' }, /an attempt id is a UUID at attemptId/],
      ['attemptJournal', {}, /at attemptId/],
      ['deleteAttempt', { attemptId: 42 }, /at attemptId/],
      ['progressSeries', { referenceId: '' }, /at referenceId/],
      ['exportHistory', { format: 'xlsx' }, /at format/],
      ['historyStatus', { x: 1 }, /historyStatus/]
    ]
    for (const [method, payload, message] of bad) {
      const answer = await dispatch(api, method, payload)
      expect(answer, `${method} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringMatching(message) }
      })
    }
    expect(await dispatch(api, 'attemptDetails', { attemptId: '00000000-0000-4000-8000-000000000000' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no attempt with id "00000000-0000-4000-8000-000000000000"' }
    })
  })

  it('reports a ready history with nothing recovered on a normal start', async () => {
    const dir = testDir()
    expect(await (await studio(dir)).historyStatus()).toEqual({ state: 'ready', dataDir: dir, recovered: null })
  })
})
