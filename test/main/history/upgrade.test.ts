// A history written by the previous version (schema 1: a full evaluation on every journal row,
// stroke points as raw Float64) opens in this one: every attempt reads back as it was (strokes
// bit for bit), the unfinished one resumes with its full evaluation, and new rows are compact.
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, MIGRATIONS, schemaVersion, LATEST_VERSION } from '#main/history/migrations.ts'
import { packRaw } from '#main/history/points.ts'
import { HistoryStore } from '#main/history/store.ts'
import { editScoreOf } from '#main/history/stored.ts'
import { snapStroke } from '#shared/stroke/snap.ts'
import { testDir } from './fixtures/dirs.ts'
import { EMPTY, scored, stroke } from './fixtures/data.ts'

const stores: HistoryStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

const FINISHED = '11111111-1111-4111-8111-111111111111'
const UNFINISHED = '22222222-2222-4222-8222-222222222222'

/** A version 1 history as the previous release wrote it, row by row. */
function versionOne(dir: string): void {
  const db = new DatabaseSync(join(dir, 'history.sqlite'))
  db.exec('PRAGMA journal_mode = WAL')
  migrate(db, MIGRATIONS.slice(0, 1))
  db.prepare(
    `INSERT INTO reference_images (id, name, source, width, height, ink_settings, created_at, last_used_at)
     VALUES ('bundled:cube', 'Cube', 'bundled', 800, 600, '{"mode":"threshold","threshold":128}', 0, 0)`
  ).run()
  const addRow = db.prepare(
    `INSERT INTO journal (attempt_id, seq, kind, tool, size, points, evaluation, top5_error, active_ms, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  for (const [id, finished] of [
    [FINISHED, true],
    [UNFINISHED, false]
  ] as const) {
    db.prepare('INSERT INTO attempts (id, reference_id, started_at) VALUES (?, ?, ?)').run(id, 'bundled:cube', 1000)
    for (let seq = 1; seq <= 4; seq++) {
      const s = stroke(seq + (finished ? 0 : 10))
      const evaluation = seq === 3 ? EMPTY : scored(seq, seq)
      addRow.run(
        id,
        seq,
        seq === 3 ? 'clear' : 'stroke',
        seq === 3 ? null : s.tool,
        seq === 3 ? null : s.size,
        seq === 3 ? null : packRaw(s.points),
        JSON.stringify(evaluation),
        evaluation.status === 'scored' ? evaluation.top5Error : null,
        seq * 10,
        2000 + seq
      )
    }
    if (finished)
      db.prepare(
        `UPDATE attempts SET ended_at = 5000, active_ms = 40, evaluation = ?, top5_error = 4, stroke_count = 3 WHERE id = ?`
      ).run(JSON.stringify(scored(4, 4)), id)
  }
  db.close()
}

describe('a version 1 history', () => {
  it('opens migrated, with every attempt as it was', async () => {
    const dir = testDir()
    versionOne(dir)
    const store = HistoryStore.open(dir)
    stores.push(store)
    const check = new DatabaseSync(join(dir, 'history.sqlite'), { readOnly: true })
    expect(schemaVersion(check)).toBe(LATEST_VERSION)
    check.close()

    const finished = store.attemptJournal(FINISHED)
    expect(finished.entries.map((e) => e.evaluation)).toEqual(
      [1, 2, 3, 4].map((seq) => editScoreOf(seq === 3 ? EMPTY : scored(seq, seq)))
    )
    expect(finished.entries.map((e) => (e.op.kind === 'stroke' ? e.op.stroke : null))).toEqual(
      [1, 2, 3, 4].map((seq) => (seq === 3 ? null : stroke(seq)))
    )
    expect((await store.attemptDetails(FINISHED)).evaluation).toEqual(scored(4, 4))

    // The unfinished attempt resumes with the full evaluation after its last edit.
    const resumed = store.findUnfinishedAttempt()
    expect(resumed?.attemptId).toBe(UNFINISHED)
    expect(resumed?.evaluation).toEqual(scored(4, 4))
    expect(resumed?.entries).toHaveLength(4)

    // It goes on in the new format: snapped strokes are stored compactly, and read back exactly.
    const next = snapStroke(stroke(99, 120))
    store.appendJournal(UNFINISHED, { op: { kind: 'stroke', stroke: next }, evaluation: scored(2, 5), activeMs: 50 })
    const again = store.findUnfinishedAttempt()
    expect(again?.entries[4].op).toEqual({ kind: 'stroke', stroke: next })
    expect(again?.evaluation).toEqual(scored(2, 5))
    const db = new DatabaseSync(join(dir, 'history.sqlite'), { readOnly: true })
    const row = db.prepare('SELECT points_codec, length(points) AS bytes FROM journal WHERE seq = 5').get() as {
      points_codec: number
      bytes: number
    }
    db.close()
    expect(row.points_codec).toBe(1)
    expect(row.bytes).toBeLessThan((120 * 48) / 2) // even for these random jumps; a pen line takes ~9 bytes a point
  })
})
