// Construction lines: a faint sketch layer kept in the attempt's history (undone, redone, cleared,
// journaled and resumed like the drawing) that never reaches the evaluator, the export or the
// heatmap. Checked against a full recomputation of the scored ops alone.
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { EditResult, StudioApi } from '#shared/contract/api.ts'
import { isScored, type DrawingOp, type Edit } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { HistoryStore } from '#main/history/store.ts'
import { reference, scored } from './history/fixtures/data.ts'
import { oracleEvaluation } from './evaluator/oracle.ts'
import { tempDir } from '../helpers/tmp.ts'
import { openStudio } from '../helpers/studio.ts'

const FRAME = { width: 500, height: 500 }

function line(tool: Stroke['tool'], x0: number, y0: number, x1: number, y1: number, size = 4): Stroke {
  const points = Array.from({ length: 12 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / 11,
    y: y0 + ((y1 - y0) * i) / 11,
    pressure: 0.6,
    tiltX: 0,
    tiltY: 0,
    t: i * 8
  }))
  return { tool, size, points }
}
const sketch = (s: Stroke): Edit => ({ kind: 'stroke', layer: 'construction', stroke: { ...s, tool: 'pen' } })

/** The scored drawing the ops describe, rasterised from scratch (construction ops skipped). */
function inkOf(ops: DrawingOp[]): Uint8Array {
  const ink = new Uint8Array(FRAME.width * FRAME.height)
  for (const op of ops.filter(isScored)) {
    if (op.kind === 'clear') ink.fill(0)
    else for (const p of rasterizeStroke(op.stroke, FRAME)) ink[p] = op.stroke.tool === 'pen' ? 1 : 0
  }
  return ink
}

function send(api: StudioApi, attemptId: string, edit: Edit): Promise<EditResult> {
  switch (edit.kind) {
    case 'stroke':
      return api.commitStroke(
        edit.layer ? { attemptId, stroke: edit.stroke, layer: edit.layer } : { attemptId, stroke: edit.stroke }
      )
    case 'clear':
      return api.clearDrawing(edit.layer ? { attemptId, layer: edit.layer } : { attemptId })
    case 'undo':
      return api.undo({ attemptId })
    case 'redo':
      return api.redo({ attemptId })
  }
}

describe('construction lines', () => {
  it('are kept, undone and redone with the drawing, and the score is always that of the scored ops alone', async () => {
    // The cube is square: its frame is 500 x 500 at the default longest side.
    const { api, services } = await openStudio({ dataDir: tempDir() })
    expect(await services.references.frameOf('bundled:cube')).toEqual(FRAME)
    const { mask: reference } = await services.references.loadReferenceInk('bundled:cube', FRAME)
    const coord = fc.double({ min: 40, max: 460, noNaN: true })
    const strokeArb = fc
      .tuple(coord, coord, coord, coord, fc.constantFrom<Stroke['tool']>('pen', 'pen', 'eraser'))
      .map(([x0, y0, x1, y1, tool]) => line(tool, x0, y0, x1, y1, tool === 'pen' ? 4 : 14))
    const editArb: fc.Arbitrary<Edit> = fc.oneof(
      { weight: 3, arbitrary: strokeArb.map((stroke) => ({ kind: 'stroke' as const, stroke })) },
      { weight: 3, arbitrary: strokeArb.map(sketch) },
      fc.constant({ kind: 'undo' as const }),
      fc.constant({ kind: 'redo' as const }),
      fc.constant({ kind: 'clear' as const }),
      fc.constant({ kind: 'clear' as const, layer: 'construction' as const })
    )
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 10 }), async (edits) => {
        const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
        const ops: DrawingOp[] = []
        let cursor = 0
        for (const e of edits) {
          const r = await send(api, attemptId, e)
          if (e.kind === 'undo') cursor = Math.max(0, cursor - 1)
          else if (e.kind === 'redo') cursor = Math.min(ops.length, cursor + 1)
          else {
            ops.length = cursor
            ops.push(e)
            cursor++
          }
          expect([r.cursor, r.opCount]).toEqual([cursor, ops.length])
          expect(r.evaluation).toEqual(oracleEvaluation(reference, inkOf(ops.slice(0, cursor)), 500, 500))
        }
        await api.finishAttempt({ attemptId })
      }),
      { numRuns: 10 }
    )
  })

  it('leave the score, the history’s stroke count, the export and the heatmap exactly as without them', async () => {
    const dataDir = tempDir()
    const { api } = await openStudio({ dataDir })
    const plain = await api.startAttempt({ referenceId: 'bundled:cube' })
    const sketched = await api.startAttempt({ referenceId: 'bundled:cube' })
    const ink = [line('pen', 150, 140, 330, 180), line('pen', 150, 140, 150, 330)]
    for (const s of ink) await api.commitStroke({ attemptId: plain.attemptId, stroke: s })
    let last: EditResult | null = null
    await api.commitStroke({
      attemptId: sketched.attemptId,
      stroke: line('pen', 100, 100, 400, 400),
      layer: 'construction'
    })
    for (const s of ink) {
      await api.commitStroke({
        attemptId: sketched.attemptId,
        stroke: line('pen', 60, 300, 440, 320),
        layer: 'construction'
      })
      last = await api.commitStroke({ attemptId: sketched.attemptId, stroke: s })
    }
    const plainScore = (
      await api.undo({ attemptId: plain.attemptId }).then(() => api.redo({ attemptId: plain.attemptId }))
    ).evaluation
    expect(last!.evaluation).toEqual(plainScore)
    expect(last!.opCount).toBe(5)

    for (const view of ['combined', 'drawing', 'reference'] as const) {
      const a = await api.attemptHeatmap({ attemptId: plain.attemptId, view, scale: 1 })
      const b = await api.attemptHeatmap({ attemptId: sketched.attemptId, view, scale: 1 })
      expect(Buffer.from(b!.png).equals(Buffer.from(a!.png))).toBe(true)
    }
    const [ea, eb] = await Promise.all(
      [plain, sketched].map((s) => api.exportAttempt({ attemptId: s.attemptId, view: 'combined', scale: 1 }))
    )
    if (ea.kind !== 'download' || eb.kind !== 'download') throw new Error('the host downloads its exports')
    const pixels = async (png: Uint8Array) => (await sharp(png).raw().toBuffer()).toString('base64')
    const file = (files: { name: string; bytes: Uint8Array }[], suffix: string) =>
      files.find((f) => f.name.endsWith(suffix))!.bytes
    expect(await pixels(file(eb.files, '-drawing.png'))).toBe(await pixels(file(ea.files, '-drawing.png')))
    const session = JSON.parse(new TextDecoder().decode(file(eb.files, '.json'))) as { ops: DrawingOp[] }
    expect(session.ops).toEqual(ink.map((stroke) => ({ kind: 'stroke', stroke })))

    await api.finishAttempt({ attemptId: plain.attemptId })
    await api.finishAttempt({ attemptId: sketched.attemptId })
    const listed = await api.listAttempts({ page: 0, pageSize: 10 })
    expect(listed.items.map((a) => a.strokeCount)).toEqual([2, 2])
    // The journal keeps the construction lines: a replay shows them.
    const journal = await api.attemptJournal({ attemptId: sketched.attemptId })
    expect(
      journal.entries.map((e) =>
        e.op.kind === 'stroke' || e.op.kind === 'clear' ? (e.op.layer ?? 'drawing') : e.op.kind
      )
    ).toEqual(['construction', 'construction', 'drawing', 'construction', 'drawing'])
  })

  it('come back with an attempt resumed after a crash, and undo still steps over them', async () => {
    const dataDir = tempDir()
    const first = await openStudio({ dataDir })
    const { attemptId } = await first.api.startAttempt({ referenceId: 'bundled:cube' })
    await first.api.commitStroke({ attemptId, stroke: line('pen', 150, 140, 330, 180) })
    await first.api.commitStroke({ attemptId, stroke: line('pen', 80, 80, 420, 90), layer: 'construction' })
    const before = await first.api.clearDrawing({ attemptId, layer: 'construction' })
    await first.api.undo({ attemptId }) // the construction clear undone: the line shows again
    await first.dispose()

    const second = await openStudio({ dataDir })
    const resumed = await second.api.resumeAttempt()
    expect(resumed?.attemptId).toBe(attemptId)
    expect(resumed!.cursor).toBe(2)
    expect(resumed!.ops.map((op) => op.layer ?? 'drawing')).toEqual(['drawing', 'construction', 'construction'])
    expect(resumed!.evaluation).toEqual(before.evaluation)
    const undone = await second.api.undo({ attemptId }) // the construction line
    expect(undone.evaluation).toEqual(before.evaluation)
    expect((await second.api.undo({ attemptId })).evaluation.status).toBe('empty') // the ink
  })

  it('are pen strokes only: a construction eraser is refused before anything is drawn', async () => {
    const { api } = await openStudio({ dataDir: tempDir() })
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    const r = await dispatch(api, 'commitStroke', {
      attemptId,
      stroke: line('eraser', 1, 1, 9, 9),
      layer: 'construction'
    })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('pen') } })
    expect(await dispatch(api, 'clearDrawing', { attemptId, layer: 'sketch' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' }
    })
    expect((await api.undo({ attemptId })).opCount).toBe(0)
  })

  it('are kept in the journal as the layer they were drawn on, and the database refuses a construction eraser', () => {
    const store = HistoryStore.open(tempDir())
    try {
      store.upsertReference(reference())
      const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube', startedAt: new Date() })
      const ops: Edit[] = [
        sketch(line('pen', 1, 1, 9, 9)),
        { kind: 'stroke', stroke: line('eraser', 1, 1, 9, 9) },
        { kind: 'clear', layer: 'construction' },
        { kind: 'undo' },
        { kind: 'clear' }
      ]
      for (const op of ops) store.appendJournal(attemptId, { op, evaluation: scored(1), activeMs: 1 })
      expect(store.attemptJournal(attemptId).entries.map((e) => e.op)).toEqual(ops)
      const bad = { kind: 'stroke', layer: 'construction', stroke: line('eraser', 1, 1, 9, 9) } as unknown as Edit
      expect(() => store.appendJournal(attemptId, { op: bad, evaluation: scored(1), activeMs: 1 })).toThrow()
      expect(store.attemptJournal(attemptId).entries).toHaveLength(ops.length)
    } finally {
      store.close()
    }
  })
})
