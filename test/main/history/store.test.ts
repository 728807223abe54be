import fc from 'fast-check'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { HistoryStore, LIST_SQL } from '#main/history/store.ts'
import { editScoreOf } from '#main/history/stored.ts'
import { snapPoint } from '#shared/stroke/snap.ts'
import { naiveFold } from '#test/helpers/naive-history.ts'
import { testDir } from './fixtures/dirs.ts'
import { EMPTY, reference, scored, session, stroke } from './fixtures/data.ts'

const stores: HistoryStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function open(dir: string): HistoryStore {
  const store = HistoryStore.open(dir)
  stores.push(store)
  return store
}

async function png(shade: number): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: shade, g: shade, b: shade } } })
      .png()
      .toBuffer()
  )
}

const DAY = 86_400_000
const T0 = Date.UTC(2026, 0, 1, 9)

describe('history store: the attempt service side', () => {
  it('creates an attempt, journals every op and finds it unfinished with the same strokes and scores', () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId, startedAt } = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date(T0) })
    expect(attemptId).toMatch(/^[0-9a-f-]{36}$/)
    expect(startedAt).toBe(new Date(T0).toISOString())
    const ops = session(3, 40)
    ops.forEach(({ op, top5 }, i) => {
      expect(
        store.appendJournal(attemptId, {
          op,
          evaluation: scored(top5, i),
          activeMs: 1000 * (i + 1),
          at: new Date(T0 + i)
        })
      ).toEqual({ seq: i + 1 })
    })
    store.close()

    const again = open(dir)
    const found = again.findUnfinishedAttempt()
    expect(found).not.toBeNull()
    expect(found?.attemptId).toBe(attemptId)
    expect(found?.reference).toEqual(reference())
    expect(found?.activeMs).toBe(40_000)
    expect(found?.entries.map((e) => e.op)).toEqual(ops.map((o) => o.op))
    expect(found?.entries.map((e) => e.evaluation)).toEqual(ops.map((o, i) => editScoreOf(scored(o.top5, i))))
    expect(found?.evaluation).toEqual(scored(ops[39].top5, 39))
    const replay = naiveFold(ops.map((o) => o.op))
    expect(replay.refused).toBeNull()
    expect(found?.history).toEqual({ ops: replay.history.all, cursor: replay.history.at })
  })

  it('keeps stroke points bit-exact through the database for any doubles the API accepts, snapped or not', () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    const d = (min: number, max: number) => fc.double({ min, max, noNaN: true })
    const pointArb = fc.record({
      x: d(-20_000, 20_000),
      y: d(-20_000, 20_000),
      pressure: d(0, 1),
      tiltX: d(-90, 90),
      tiltY: d(-90, 90),
      t: d(0, 86_400_000)
    })
    let seq = 0
    fc.assert(
      fc.property(
        fc.array(pointArb, { minLength: 1, maxLength: 80 }),
        fc.constantFrom('pen' as const, 'eraser' as const),
        fc.boolean(),
        (raw, tool, snapped) => {
          const points = snapped ? raw.map(snapPoint) : raw
          seq = store.appendJournal(attemptId, {
            op: { kind: 'stroke', stroke: { tool, size: 2.5, points } },
            evaluation: EMPTY,
            activeMs: 0
          }).seq
          const entry = store.attemptJournal(attemptId).entries[seq - 1]
          expect(entry.op.kind).toBe('stroke')
          const back = entry.op.kind === 'stroke' ? entry.op.stroke.points : []
          expect(back.length).toBe(points.length)
          back.forEach((p, i) => {
            for (const k of ['x', 'y', 'pressure', 'tiltX', 'tiltY', 't'] as const)
              expect(Object.is(p[k], points[i][k])).toBe(true)
          })
        }
      ),
      { numRuns: 60 }
    )
  })

  it('finishes an attempt: final evaluation, active time, strokes counted from the journal', async () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date(T0) })
    store.appendJournal(attemptId, { op: { kind: 'stroke', stroke: stroke(1) }, evaluation: scored(9), activeMs: 500 })
    store.appendJournal(attemptId, { op: { kind: 'undo' }, evaluation: EMPTY, activeMs: 600 })
    store.appendJournal(attemptId, { op: { kind: 'stroke', stroke: stroke(2) }, evaluation: scored(7), activeMs: 900 })
    store.finishAttempt(attemptId, { evaluation: scored(7), activeMs: 1234.4, endedAt: new Date(T0 + 60_000) })
    expect(store.findUnfinishedAttempt()).toBeNull()
    const { items } = await store.listAttempts({ page: 0, pageSize: 10 })
    expect(items[0]).toMatchObject({
      attemptId,
      endedAt: new Date(T0 + 60_000).toISOString(),
      activeMs: 1234,
      strokeCount: 2,
      top5Error: 7
    })
  })

  it('says what is wrong with a call that does not fit', () => {
    const dir = testDir()
    const store = open(dir)
    expect(() => store.createAttempt({ referenceId: 'bundled:nope' })).toThrow(
      expect.objectContaining({ code: 'not-found', message: expect.stringContaining('no reference "bundled:nope"') })
    )
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    const missing = '00000000-0000-4000-8000-000000000000'
    expect(() => store.appendJournal(missing, { op: { kind: 'clear' }, evaluation: EMPTY, activeMs: 0 })).toThrow(
      expect.objectContaining({ code: 'not-found', message: `no attempt with id "${missing}"` })
    )
    expect(() =>
      store.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: EMPTY, activeMs: Number.NaN })
    ).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    store.finishAttempt(attemptId, { evaluation: EMPTY, activeMs: 0 })
    expect(() => store.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: EMPTY, activeMs: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-input', message: `attempt "${attemptId}" is already finished` })
    )
    expect(() => store.finishAttempt(attemptId, { evaluation: EMPTY, activeMs: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-input' })
    )
    // Nothing half-written: the refused append added no row.
    expect(store.attemptJournal(attemptId).entries).toEqual([])
  })

  it('updates a reference on upsert and keeps its attempts', async () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    store.createAttempt({ referenceId: 'bundled:cube' })
    store.upsertReference({ ...reference(), name: 'Cube, 2nd', inkSettings: { mode: 'outline', threshold: 100 } })
    expect(store.getReference('bundled:cube')).toEqual({
      ...reference(),
      name: 'Cube, 2nd',
      inkSettings: { mode: 'outline', threshold: 100 }
    })
    expect((await store.listAttempts({ page: 0, pageSize: 5 })).items[0].referenceName).toBe('Cube, 2nd')
  })

  it('saves attempt images atomically, replaces them, and refuses what is not a PNG', async () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    const [a, b, c] = await Promise.all([png(10), png(200), png(90)])
    await store.saveAttemptFiles(attemptId, { drawingPng: a, heatmapPng: b, thumbPng: c })
    const folder = join(dir, 'attempts', attemptId)
    expect(readdirSync(folder).sort()).toEqual(['drawing.png', 'heatmap.png', 'thumb.png'])
    await store.saveAttemptFiles(attemptId, { thumbPng: a })
    expect(await store.readAttemptFile(attemptId, 'thumbPng')).toEqual(a)
    expect(await store.readAttemptFile(attemptId, 'heatmapPng')).toEqual(b)
    await expect(store.saveAttemptFiles(attemptId, { heatmapPng: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({
      code: 'invalid-input',
      message: `heatmap.png for attempt "${attemptId}" is not a PNG`
    })
    await expect(store.saveAttemptFiles('00000000-0000-4000-8000-000000000000', { thumbPng: a })).rejects.toMatchObject(
      { code: 'not-found' }
    )
    await expect(store.saveAttemptFiles('../../etc', { thumbPng: a })).rejects.toMatchObject({ code: 'invalid-input' })
    // Saves of one attempt run one after another, so the last one called wins.
    await Promise.all([
      store.saveAttemptFiles(attemptId, { thumbPng: b }),
      store.saveAttemptFiles(attemptId, { thumbPng: c })
    ])
    expect(await store.readAttemptFile(attemptId, 'thumbPng')).toEqual(c)
    expect(readdirSync(folder).filter((n) => n.endsWith('.tmp'))).toEqual([])
  })

  it('resumes the newest unfinished attempt that is not deleted', () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const older = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date(T0) })
    const newer = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date(T0 + 1000) })
    expect(store.findUnfinishedAttempt()?.attemptId).toBe(newer.attemptId)
    store.deleteAttempt(newer.attemptId)
    expect(store.findUnfinishedAttempt()?.attemptId).toBe(older.attemptId)
    expect(store.findUnfinishedAttempt()).toMatchObject({
      entries: [],
      history: { ops: [], cursor: 0 },
      evaluation: null,
      activeMs: 0
    })
  })

  it('refuses to resume an attempt whose journal is damaged, naming the entry', () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    store.appendJournal(attemptId, { op: { kind: 'stroke', stroke: stroke(1) }, evaluation: scored(9), activeMs: 5 })
    store.appendJournal(attemptId, { op: { kind: 'redo' }, evaluation: scored(9), activeMs: 6 })
    expect(() => store.findUnfinishedAttempt()).toThrow(
      expect.objectContaining({
        code: 'storage',
        message: `could not resume attempt "${attemptId}": its journal in ${store.path} is inconsistent (journal entry 2 redoes with nothing to redo)`
      })
    )
  })
})

describe('history store: the history queries', () => {
  /** n finished attempts over two references, one per day, scores from the seed. */
  function fill(store: HistoryStore, n: number, seed = 1): string[] {
    store.upsertReference(reference())
    store.upsertReference(reference('bundled:vase', 'Vase'))
    const ids: string[] = []
    for (let i = 0; i < n; i++) {
      const ref = i % 3 === 0 ? 'bundled:vase' : 'bundled:cube'
      const { attemptId } = store.createAttempt({ referenceId: ref, startedAt: new Date(T0 + i * DAY) })
      const top5 = ((i * 7919 + seed) % 97) / 4
      store.appendJournal(attemptId, {
        op: { kind: 'stroke', stroke: stroke(i, 3) },
        evaluation: scored(top5),
        activeMs: 100
      })
      store.finishAttempt(attemptId, {
        evaluation: scored(top5),
        activeMs: 100 + i,
        endedAt: new Date(T0 + i * DAY + 60_000)
      })
      ids.push(attemptId)
    }
    return ids
  }

  it('pages newest first, filters by reference and hides deleted attempts (against a simple model)', async () => {
    const dir = testDir()
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 1, max: 7 }),
        fc.option(fc.constantFrom('bundled:cube', 'bundled:vase'), { nil: undefined }),
        async (n, deletions, pageSize, referenceId) => {
          const sub = join(dir, `case-${Math.random().toString(36).slice(2)}`)
          const store = open(sub)
          const ids = fill(store, n)
          const deleted = new Set(n === 0 ? [] : deletions.map((d) => ids[d % n]))
          for (const id of deleted) store.deleteAttempt(id)
          const model = ids
            .map((id, i) => ({ id, ref: i % 3 === 0 ? 'bundled:vase' : 'bundled:cube' }))
            .filter((a) => !deleted.has(a.id) && (referenceId === undefined || a.ref === referenceId))
            .reverse()
            .map((a) => a.id)
          const pages = Math.ceil(model.length / pageSize) + 1
          for (let page = 0; page < pages; page++) {
            const got = await store.listAttempts({ referenceId, page, pageSize })
            expect(got.total).toBe(model.length)
            expect(got.items.map((a) => a.attemptId)).toEqual(model.slice(page * pageSize, (page + 1) * pageSize))
          }
          store.close()
        }
      ),
      { numRuns: 25 }
    )
  })

  it('restores a deleted attempt into lists and charts', async () => {
    const dir = testDir()
    const store = open(dir)
    const ids = fill(store, 4)
    const del = store.deleteAttempt(ids[1], new Date(T0))
    expect(del).toEqual({ attemptId: ids[1], deletedAt: new Date(T0).toISOString() })
    expect(store.deleteAttempt(ids[1], new Date(T0 + 5)).deletedAt).toBe(del.deletedAt)
    expect((await store.listAttempts({ page: 0, pageSize: 10 })).items.map((a) => a.attemptId)).not.toContain(ids[1])
    expect(store.progressSeries('bundled:cube').points.map((p) => p.attemptId)).not.toContain(ids[1])
    store.restoreAttempt(ids[1])
    expect((await store.listAttempts({ page: 0, pageSize: 10 })).items.map((a) => a.attemptId)).toContain(ids[1])
    expect(store.progressSeries('bundled:cube').points.map((p) => p.attemptId)).toContain(ids[1])
    expect(() => store.restoreAttempt('00000000-0000-4000-8000-000000000000')).toThrow(
      expect.objectContaining({ code: 'not-found' })
    )
  })

  it('charts top5Error per reference oldest first with the personal best marked', () => {
    const dir = testDir()
    const store = open(dir)
    const ids = fill(store, 12)
    store.deleteAttempt(ids[4])
    const series = store.progressSeries('bundled:cube')
    const expected = ids
      .map((id, i) => ({ id, i, top5: ((i * 7919 + 1) % 97) / 4 }))
      .filter((a) => a.i % 3 !== 0 && a.i !== 4)
    expect(series.points.map((p) => [p.attemptId, p.top5Error])).toEqual(expected.map((a) => [a.id, a.top5]))
    const min = Math.min(...expected.map((a) => a.top5))
    const bestId = expected.find((a) => a.top5 === min)?.id
    expect(series.best).toEqual({ attemptId: bestId, top5Error: min })
    expect(series.points.filter((p) => p.personalBest).map((p) => p.attemptId)).toEqual([bestId])
    expect(store.progressSeries('bundled:none')).toEqual({ referenceId: 'bundled:none', points: [], best: null })
  })

  it('leaves unfinished and empty attempts out of the chart', async () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const a = store.createAttempt({ referenceId: 'bundled:cube' })
    const b = store.createAttempt({ referenceId: 'bundled:cube' })
    store.finishAttempt(b.attemptId, { evaluation: EMPTY, activeMs: 0 })
    expect(store.progressSeries('bundled:cube').points).toEqual([])
    const list = (await store.listAttempts({ page: 0, pageSize: 10 })).items
    expect(list.find((x) => x.attemptId === a.attemptId)).toMatchObject({ endedAt: null, top5Error: null })
    expect(list.find((x) => x.attemptId === b.attemptId)).toMatchObject({ top5Error: null })
  })

  it('shows an unfinished attempt with its active time and strokes so far', async () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    store.appendJournal(attemptId, { op: { kind: 'stroke', stroke: stroke(1) }, evaluation: scored(3), activeMs: 700 })
    store.appendJournal(attemptId, { op: { kind: 'stroke', stroke: stroke(2) }, evaluation: scored(2), activeMs: 1500 })
    store.appendJournal(attemptId, { op: { kind: 'undo' }, evaluation: scored(3), activeMs: 1600 })
    expect((await store.listAttempts({ page: 0, pageSize: 1 })).items[0]).toMatchObject({
      activeMs: 1600,
      strokeCount: 2,
      endedAt: null
    })
  })

  it('lists the references that have attempts, most recent first, with counts and bests', () => {
    const dir = testDir()
    const store = open(dir)
    const ids = fill(store, 7)
    store.deleteAttempt(ids[6])
    const refs = store.historyReferences()
    expect(refs.map((r) => [r.referenceId, r.attemptCount])).toEqual([
      ['bundled:cube', 4],
      ['bundled:vase', 2]
    ])
    expect(refs[0]).toMatchObject({
      name: 'Cube',
      source: 'bundled',
      width: 800,
      height: 600,
      lastAttemptAt: new Date(T0 + 5 * DAY).toISOString()
    })
    expect(refs[1].bestTop5Error).toBe(Math.min(...[0, 3].map((i) => ((i * 7919 + 1) % 97) / 4)))
  })

  it('gives the details of an attempt: final evaluation, score after each op, images', async () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date(T0) })
    store.appendJournal(attemptId, {
      op: { kind: 'stroke', stroke: stroke(1) },
      evaluation: scored(5),
      activeMs: 10,
      at: new Date(T0 + 1)
    })
    store.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: EMPTY, activeMs: 20, at: new Date(T0 + 2) })
    store.finishAttempt(attemptId, { evaluation: EMPTY, activeMs: 20 })
    const heat = await png(50)
    await store.saveAttemptFiles(attemptId, { heatmapPng: heat })
    const details = await store.attemptDetails(attemptId)
    expect(details.evaluation).toEqual(EMPTY)
    expect(details.scores).toEqual([
      { seq: 1, kind: 'stroke', at: new Date(T0 + 1).toISOString(), top5Error: 5 },
      { seq: 2, kind: 'clear', at: new Date(T0 + 2).toISOString(), top5Error: null }
    ])
    expect(details.heatmapPng).toEqual(heat)
    expect(details.drawingPng).toBeNull()
    expect(details.attempt).toMatchObject({ attemptId, strokeCount: 1, thumbnailPng: null })
    await expect(store.attemptDetails('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'not-found'
    })
  })

  it('answers the history list from its indexes (no scan, no sort)', () => {
    const dir = testDir()
    const store = open(dir)
    fill(store, 3)
    for (const [sql, params] of [
      [LIST_SQL.all.page, [10, 0]],
      [LIST_SQL.byReference.page, ['bundled:cube', 10, 0]]
    ] as const) {
      const plan = store.queryPlan(sql, ...params).join('\n')
      expect(plan).toMatch(/attempts_live_by_(start|reference)/)
      expect(plan).not.toMatch(/TEMP B-TREE/)
      expect(plan).not.toMatch(/SCAN a\b(?! USING)/)
    }
  })

  it('has no temp files or folders for attempts without images', () => {
    const dir = testDir()
    const store = open(dir)
    fill(store, 2)
    expect(existsSync(join(dir, 'attempts'))).toBe(false)
  })
})

describe('history store: grouped writes', () => {
  it('commits a group at once, and a failing group leaves nothing behind', () => {
    const dir = testDir()
    const store = open(dir)
    store.upsertReference(reference())
    const made = store.inOneCommit(() =>
      [0, 1, 2].map(() => store.createAttempt({ referenceId: 'bundled:cube' }).attemptId)
    )
    expect(made).toHaveLength(3)
    expect(() =>
      store.inOneCommit(() => {
        store.createAttempt({ referenceId: 'bundled:cube' })
        store.createAttempt({ referenceId: 'bundled:nope' })
      })
    ).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(store.historyReferences()[0].attemptCount).toBe(3)
    // A failing step inside a group undoes only itself when the group catches it.
    store.inOneCommit(() => {
      store.createAttempt({ referenceId: 'bundled:cube' })
      expect(() => store.createAttempt({ referenceId: 'bundled:nope' })).toThrow()
    })
    expect(store.historyReferences()[0].attemptCount).toBe(4)
  })
})

describe('history store: WAL checkpoints', () => {
  it('happen shortly after enough was written, not inside a commit', () => {
    vi.useFakeTimers()
    try {
      const dir = testDir()
      const store = open(dir)
      store.upsertReference(reference())
      const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
      const mainFile = join(dir, 'history.sqlite')
      const before = statSync(mainFile).size
      // ~5 MB of strokes: past the checkpoint threshold, all of it still in the WAL.
      for (let i = 0; i < 260; i++)
        store.appendJournal(attemptId, {
          op: { kind: 'stroke', stroke: stroke(i, 400) },
          evaluation: scored(i),
          activeMs: i
        })
      expect(statSync(mainFile).size).toBe(before)
      vi.advanceTimersByTime(300)
      expect(statSync(mainFile).size).toBeGreaterThan(4 * 1024 * 1024)
      expect(store.attemptJournal(attemptId).entries).toHaveLength(260)
    } finally {
      vi.useRealTimers()
    }
  })

  it('happen on a schedule: after 2 s without writing, and at most 30 s after the first unsaved change', () => {
    vi.useFakeTimers()
    try {
      const dir = testDir()
      const store = open(dir)
      store.upsertReference(reference())
      const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
      const mainFile = join(dir, 'history.sqlite')
      const edit = (i: number): void => {
        store.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: scored(i), activeMs: i })
      }
      vi.advanceTimersByTime(2100) // the pause after creating the attempt
      expect(store.checkpointPending).toBe(false)
      const before = statSync(mainFile).size
      edit(1)
      expect(store.checkpointPending).toBe(true)
      vi.advanceTimersByTime(1900)
      expect(store.checkpointPending).toBe(true)
      vi.advanceTimersByTime(200)
      expect(store.checkpointPending).toBe(false)
      expect(statSync(mainFile).size).toBeGreaterThanOrEqual(before)
      // An artist who never pauses for 2 s: still copied within 30 s.
      let i = 2
      for (let t = 0; t < 29_000; t += 1000) {
        edit(i++)
        vi.advanceTimersByTime(1000)
        expect(store.checkpointPending).toBe(true)
      }
      edit(i++)
      vi.advanceTimersByTime(1000)
      expect(store.checkpointPending).toBe(false)
    } finally {
      vi.useRealTimers()
    }
  })
})
