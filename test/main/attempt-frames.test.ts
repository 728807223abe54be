import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import { MIGRATIONS, migrate, schemaVersion } from '#main/history/migrations.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

function line(x0: number, y0: number, x1: number, y1: number): Stroke {
  const points = Array.from({ length: 12 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / 11,
    y: y0 + ((y1 - y0) * i) / 11,
    pressure: 0.6,
    tiltX: 0,
    tiltY: 0,
    t: i * 8
  }))
  return { tool: 'pen', size: 4, points }
}

describe('each attempt keeps its own frame', () => {
  it('follows the reference’s aspect at the longest side chosen when it began, through finish, continue and replay', async () => {
    const { api } = await openStudio({ dataDir: tempDir() })
    const vase = await api.startAttempt({ referenceId: 'bundled:vase' })
    expect(vase.frame).toEqual({ width: 400, height: 500 })
    const first = await api.commitStroke({ attemptId: vase.attemptId, stroke: line(100, 200, 300, 220) })
    expect(first.evaluation).toMatchObject({ status: 'scored', side: 500 })
    await api.finishAttempt({ attemptId: vase.attemptId })

    // A larger frame for new attempts; the kept one stays as it was drawn.
    await api.updateSettings({ frame: { longestSide: 1000 } })
    const larger = await api.startAttempt({ referenceId: 'bundled:vase' })
    expect(larger.frame).toEqual({ width: 800, height: 1000 })
    const again = await api.continueAttempt({ attemptId: vase.attemptId })
    expect(again.frame).toEqual({ width: 400, height: 500 })
    expect(again.ops).toHaveLength(1)
    expect(again.evaluation).toEqual(first.evaluation)
    // It shows as unfinished until it ends again, and goes on from where it was.
    const listed = await api.listAttempts({ referenceId: 'bundled:vase' })
    expect(listed.items.find((a) => a.attemptId === vase.attemptId)).toMatchObject({
      endedAt: null,
      frame: { width: 400, height: 500 }
    })
    const second = await api.commitStroke({ attemptId: vase.attemptId, stroke: line(100, 300, 300, 320) })
    expect(second.cursor).toBe(2)
    await api.finishAttempt({ attemptId: vase.attemptId })
    const journal = await api.attemptJournal({ attemptId: vase.attemptId })
    expect(journal.frame).toEqual({ width: 400, height: 500 })
    expect(journal.entries.map((e) => e.op.kind)).toEqual(['stroke', 'stroke'])
    const details = await api.attemptDetails({ attemptId: vase.attemptId })
    expect(details.attempt.strokeCount).toBe(2)
    expect(details.evaluation).toEqual(second.evaluation)
  })

  it('continuing an attempt still open waits for its finish, then reopens it; a deleted one cannot be continued', async () => {
    const { api } = await openStudio({ dataDir: tempDir() })
    const a = await api.startAttempt({ referenceId: 'bundled:cube' })
    await api.commitStroke({ attemptId: a.attemptId, stroke: line(100, 100, 300, 120) })
    // As the studio sends them after New then Undo: the finish, then at once the continue.
    const [finished, continued] = await Promise.all([
      api.finishAttempt({ attemptId: a.attemptId }),
      api.continueAttempt({ attemptId: a.attemptId })
    ])
    expect(finished.evaluation.status).toBe('scored')
    expect(continued).toMatchObject({ attemptId: a.attemptId, cursor: 1, frame: { width: 500, height: 500 } })
    expect((await api.commitStroke({ attemptId: a.attemptId, stroke: line(100, 200, 300, 220) })).cursor).toBe(2)
    await api.finishAttempt({ attemptId: a.attemptId })
    await api.deleteAttempt({ attemptId: a.attemptId })
    await expect(api.continueAttempt({ attemptId: a.attemptId })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('a discarded attempt stays listed but counts in no progress chart or best', async () => {
    const { api } = await openStudio({ dataDir: tempDir() })
    const scores: number[] = []
    const ids: string[] = []
    for (const y of [130, 160]) {
      const a = await api.startAttempt({ referenceId: 'bundled:cube' })
      await api.commitStroke({ attemptId: a.attemptId, stroke: line(120, y, 380, y + 10) })
      const f = await api.finishAttempt({ attemptId: a.attemptId })
      if (f.evaluation.status === 'scored') scores.push(f.evaluation.top5Error)
      ids.push(a.attemptId)
    }
    const bestId = scores[0] <= scores[1] ? ids[0] : ids[1]
    await api.setAttemptDiscarded({ attemptId: bestId, discarded: true })
    const series = await api.progressSeries({ referenceId: 'bundled:cube' })
    expect(series.points.map((p) => p.attemptId)).toEqual(ids.filter((id) => id !== bestId))
    expect((await api.historyReferences())[0].bestTop5Error).toBe(Math.max(...scores))
    const listed = await api.listAttempts({})
    expect(listed.items.find((a) => a.attemptId === bestId)?.discarded).toBe(true)
    await api.setAttemptDiscarded({ attemptId: bestId, discarded: false })
    expect((await api.progressSeries({ referenceId: 'bundled:cube' })).points).toHaveLength(2)
  })

  it('attempts kept before frames followed the reference (schema step 5, after the construction layer of step 3 and training of step 4) are 500 x 500', () => {
    expect(MIGRATIONS.map((m) => [m.version, m.description])).toContainEqual([
      5,
      "each attempt's own frame; discarded attempts"
    ])
    expect(MIGRATIONS[2].description).toMatch(/construction lines/)
    expect(MIGRATIONS[3].description).toMatch(/training/)
    const dir = tempDir()
    mkdirSync(dir, { recursive: true })
    const db = new DatabaseSync(join(dir, 'old.sqlite'))
    migrate(db, MIGRATIONS.slice(0, 4))
    expect(schemaVersion(db)).toBe(4)
    db.exec(
      `INSERT INTO reference_images VALUES ('bundled:vase', 'Vase', 'bundled', 800, 1000, '{"mode":"threshold","threshold":128}', 0, 0)`
    )
    db.exec(`INSERT INTO attempts (id, reference_id, started_at) VALUES ('a', 'bundled:vase', 0)`)
    expect(migrate(db)).toEqual({ from: 4, to: 5 })
    expect(db.prepare('SELECT frame_width, frame_height, discarded_at FROM attempts').get()).toEqual({
      frame_width: 500,
      frame_height: 500,
      discarded_at: null
    })
    db.close()
  })
})
