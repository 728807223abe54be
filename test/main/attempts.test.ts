import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { EditResult, StudioApi } from '#shared/contract/api.ts'
import type { DrawingOp } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import { MAX_STROKE_POINTS } from '#shared/stroke/limits.ts'
import { snapStroke } from '#shared/stroke/snap.ts'
import type { StudioOptions } from '#main/app.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'
import { ShapeAnalyser } from '#main/evaluator/core/alignment/analyser.ts'
import type { ShapeAnalysis } from '#shared/contract/scores.ts'
import { oracleEvaluation } from './evaluator/oracle.ts'
import { tempDir } from '../helpers/tmp.ts'
import { openStudio } from '../helpers/studio.ts'

const FRAME = { width: 500, height: 500 }
const dataDir = tempDir()

function line(tool: Stroke['tool'], x0: number, y0: number, x1: number, y1: number, size = 4, pressure = 0.6): Stroke {
  const points = Array.from({ length: 12 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / 11,
    y: y0 + ((y1 - y0) * i) / 11,
    pressure,
    tiltX: 0,
    tiltY: 0,
    t: i * 8
  }))
  return { tool, size, points }
}

/** The drawing the ops describe, rasterised from scratch: the obviously-correct view. */
function inkOf(ops: DrawingOp[]): Uint8Array {
  const ink = new Uint8Array(FRAME.width * FRAME.height)
  for (const op of ops) {
    if (op.kind === 'clear') ink.fill(0)
    else for (const p of rasterizeStroke(op.stroke, FRAME)) ink[p] = op.stroke.tool === 'pen' ? 1 : 0
  }
  return ink
}

async function studio(): Promise<{ api: StudioApi; reference: Uint8Array }> {
  // The cube is square: its frame is 500 x 500 at the default longest side.
  const { api, services } = await openStudio({ dataDir })
  expect(await services.references.frameOf('bundled:cube')).toEqual(FRAME)
  const { mask } = await services.references.loadReferenceInk('bundled:cube', FRAME)
  return { api, reference: mask }
}

describe('attempts: the live drawing session', () => {
  it('scores every edit exactly as a full recomputation of the rasterised strokes', async () => {
    const { api, reference } = await studio()
    const start = await api.startAttempt({ referenceId: 'bundled:cube' })
    expect(start.evaluation).toMatchObject({ status: 'empty', reason: 'no drawing yet' })
    expect(start.evaluation.referencePixels).toBe(reference.reduce((a, v) => a + v, 0))
    const ops: DrawingOp[] = []
    let cursor = 0
    const check = (r: EditResult): void => {
      expect(r.cursor).toBe(cursor)
      expect(r.opCount).toBe(ops.length)
      expect(r.evaluation).toEqual(oracleEvaluation(reference, inkOf(ops.slice(0, cursor)), 500, 500))
    }
    const commit = async (stroke: Stroke): Promise<void> => {
      const r = await api.commitStroke({ attemptId: start.attemptId, stroke })
      ops.length = cursor
      ops.push({ kind: 'stroke', stroke })
      cursor++
      check(r)
    }
    await commit(line('pen', 180, 150, 320, 170))
    await commit(line('pen', 180, 150, 180, 330, 6, 1))
    await commit(line('eraser', 170, 200, 200, 200, 12))
    check(await api.undo({ attemptId: start.attemptId }).then((r) => ((cursor -= 1), r)))
    check(await api.redo({ attemptId: start.attemptId }).then((r) => ((cursor += 1), r)))
    const cleared = await api.clearDrawing({ attemptId: start.attemptId })
    ops.length = cursor
    ops.push({ kind: 'clear' })
    cursor++
    check(cleared)
    expect(cleared.evaluation.status).toBe('empty')
    check(await api.undo({ attemptId: start.attemptId }).then((r) => ((cursor -= 1), r)))
    // A new stroke after an undo drops the redo tail.
    await api.undo({ attemptId: start.attemptId })
    cursor--
    await commit(line('pen', 300, 300, 310, 310))
    expect(ops).toHaveLength(3)
  })

  it('keeps ops and scores in step over random edit sequences', async () => {
    const { api, reference } = await studio()
    const coord = fc.double({ min: -20, max: 520, noNaN: true })
    const strokeArb = fc.record({
      tool: fc.constantFrom<Stroke['tool']>('pen', 'pen', 'eraser'),
      size: fc.double({ min: 1, max: 30, noNaN: true }),
      points: fc.array(
        fc.record({
          x: coord,
          y: coord,
          pressure: fc.double({ min: 0, max: 1, noNaN: true }),
          tiltX: fc.constant(0),
          tiltY: fc.constant(0),
          t: fc.nat(10_000)
        }),
        { minLength: 1, maxLength: 8 }
      )
    })
    const editArb = fc.oneof(
      { weight: 4, arbitrary: strokeArb.map((s) => ({ kind: 'stroke' as const, stroke: s })) },
      fc.constant({ kind: 'undo' as const }),
      fc.constant({ kind: 'redo' as const }),
      fc.constant({ kind: 'clear' as const })
    )
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 8 }), async (edits) => {
        const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
        const ops: DrawingOp[] = []
        let cursor = 0
        for (const e of edits) {
          let r: EditResult
          if (e.kind === 'undo') {
            r = await api.undo({ attemptId })
            cursor = Math.max(0, cursor - 1)
          } else if (e.kind === 'redo') {
            r = await api.redo({ attemptId })
            cursor = Math.min(ops.length, cursor + 1)
          } else {
            r =
              e.kind === 'clear'
                ? await api.clearDrawing({ attemptId })
                : await api.commitStroke({ attemptId, stroke: e.stroke })
            ops.length = cursor
            ops.push(e)
            cursor++
          }
          expect([r.cursor, r.opCount]).toEqual([cursor, ops.length])
          expect(r.evaluation).toEqual(oracleEvaluation(reference, inkOf(ops.slice(0, cursor)), 500, 500))
        }
      }),
      { numRuns: 12 }
    )
  })

  it('runs the evaluator in a worker process for the host', async () => {
    const { api } = await openStudio({ dataDir, launchEvaluator: workerLauncher() })
    const { attemptId, frame } = await api.startAttempt({ referenceId: 'bundled:vase' })
    const r = await api.commitStroke({ attemptId, stroke: line('pen', 100, 100, 400, 400) })
    expect(r.evaluation.status).toBe('scored')
    expect(r.evaluation.drawingPixels).toBeGreaterThan(300)
    const full = await api.evaluateAttempt({ attemptId })
    expect(full).toMatchObject({ ...r.evaluation, alignment: { scale: expect.any(Number) } })
    // Asked twice across the thread border (a reply's arrays move to main): what the process
    // keeps for the next question stays whole.
    for (let i = 0; i < 2; i++) {
      expect(await api.evaluateAttempt({ attemptId })).toEqual(full)
      const pic = await api.attemptOverlay({ attemptId, layer: 'match', view: 'combined', aligned: true, scale: 1 })
      // The attempt's own frame (the vase's aspect), not a square.
      expect([pic?.width, pic?.height]).toEqual([frame.width, frame.height])
      expect((await api.attemptHeatmap({ attemptId, view: 'combined', scale: 1 }))?.width).toBeGreaterThan(0)
    }
  })

  it('gives the full evaluation on demand: the edit scores plus the shape analysis of the drawing as it is', async () => {
    const { api, reference } = await studio()
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    expect(await api.evaluateAttempt({ attemptId })).toMatchObject({ status: 'empty', reason: 'no drawing yet' })
    const ops: DrawingOp[] = []
    const analyser = new ShapeAnalyser(reference, 500, 500)
    /** The analysis computed directly from the rasterised ops: what the evaluation process must answer. */
    const direct = (drawn: DrawingOp[]): ShapeAnalysis => {
      const ink = inkOf(drawn)
      const pixels = Int32Array.from(Array.from(ink).flatMap((v, p) => (v ? [p] : [])))
      const e = oracleEvaluation(reference, ink, 500, 500)
      if (e.status !== 'scored') throw new Error('a drawing was drawn')
      return analyser.analyse(pixels, e)
    }
    for (const stroke of [
      line('pen', 180, 150, 320, 170),
      line('pen', 180, 150, 185, 330, 6, 1),
      line('pen', 320, 170, 330, 340)
    ]) {
      const r = await api.commitStroke({ attemptId, stroke })
      ops.push({ kind: 'stroke', stroke })
      const full = await api.evaluateAttempt({ attemptId })
      expect(full).toEqual({ ...r.evaluation, ...direct(ops) })
      // Asked again without an edit: the same answer (kept, not recomputed differently).
      expect(await api.evaluateAttempt({ attemptId })).toEqual(full)
    }
    // After an undo the analysis is of the earlier drawing, not a stale one.
    const undone = await api.undo({ attemptId })
    expect(await api.evaluateAttempt({ attemptId })).toEqual({ ...undone.evaluation, ...direct(ops.slice(0, 2)) })
    analyser.dispose()
    await expect(api.evaluateAttempt({ attemptId: 'nope' })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('refuses unknown attempts and references with clear errors', async () => {
    const { api } = await studio()
    await expect(api.undo({ attemptId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('no open attempt')
    })
    await expect(api.startAttempt({ referenceId: 'bundled:nope' })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('scores and keeps a stroke on the point lattice, whatever the numbers it was sent with', async () => {
    const { api } = await studio()
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    const sent = line('pen', 100.123456789, 100.987654321, 300.333333333, 310.1)
    sent.points = sent.points.map((p) => ({ ...p, pressure: 0.3333333, t: p.t + 0.0001234 }))
    const committed = await dispatch(api, 'commitStroke', { attemptId, stroke: sent })
    expect(committed).toMatchObject({ ok: true })
    const snapped = snapStroke(sent)
    expect(snapped).not.toEqual(sent)
    const other = await api.startAttempt({ referenceId: 'bundled:cube' })
    const same = await api.commitStroke({ attemptId: other.attemptId, stroke: snapped })
    expect((committed as { value: EditResult }).value.evaluation).toEqual(same.evaluation)
    const journal = await api.attemptJournal({ attemptId })
    expect(journal.entries[0].op).toEqual({ kind: 'stroke', stroke: snapped })
  })

  it('answers not-found, not an evaluator error, for edits queued behind the finish of their attempt', async () => {
    for (const launchEvaluator of [undefined, workerLauncher()]) {
      const { api } = await openStudio({ dataDir: tempDir(), launchEvaluator })
      const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
      const stroke = line('pen', 100, 100, 300, 300)
      // All three sent at once, as a page (or a hostile one) can: the service queues them.
      const [first, finish, ...late] = await Promise.allSettled([
        api.commitStroke({ attemptId, stroke }),
        api.finishAttempt({ attemptId }),
        api.commitStroke({ attemptId, stroke }),
        api.undo({ attemptId }),
        api.attemptHeatmap({ attemptId, view: 'combined', scale: 1 }),
        api.exportAttempt({ attemptId, view: 'combined', scale: 1 })
      ])
      expect(first.status).toBe('fulfilled')
      expect(finish.status).toBe('fulfilled')
      for (const r of late) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'not-found' } })
    }
  })

  it.each([
    ['a NaN coordinate', { x: Number.NaN }],
    ['an infinite pressure', { pressure: Number.POSITIVE_INFINITY }],
    ['a pressure above 1', { pressure: 1.5 }],
    ['a huge coordinate', { x: 1e9 }],
    ['a string for a number', { y: '3' }],
    ['an extra field', { evil: true }]
  ])('refuses a stroke with %s before it reaches the evaluator', async (_label, patch) => {
    const { api } = await studio()
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    const stroke = line('pen', 10, 10, 50, 50)
    const bad = { ...stroke, points: [{ ...stroke.points[0], ...patch }] }
    const r = await dispatch(api, 'commitStroke', { attemptId, stroke: bad })
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    // Nothing was drawn.
    expect((await api.undo({ attemptId })).evaluation.status).toBe('empty')
  })

  it('refuses strokes without points or with too many, and bad ids', async () => {
    const { api } = await studio()
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    const many = line('pen', 0, 0, 1, 1)
    many.points = Array.from({ length: MAX_STROKE_POINTS + 1 }, () => many.points[0])
    expect(await dispatch(api, 'commitStroke', { attemptId, stroke: many })).toMatchObject({
      error: {
        message: `commitStroke: a stroke has at most ${MAX_STROKE_POINTS.toLocaleString('en-US')} points at stroke.points`
      }
    })
    const most = { ...many, points: many.points.slice(1) }
    expect(await dispatch(api, 'commitStroke', { attemptId, stroke: most })).toMatchObject({ ok: true })
    for (const payload of [
      { attemptId, stroke: { ...line('pen', 0, 0, 1, 1), points: [] } },
      { attemptId, stroke: many },
      { attemptId: 'not-a-uuid', stroke: line('pen', 0, 0, 1, 1) },
      { attemptId, stroke: { ...line('pen', 0, 0, 1, 1), tool: 'brush' } }
    ]) {
      expect(await dispatch(api, 'commitStroke', payload)).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' }
      })
    }
  })
})

describe('attempts: heatmaps and exports', () => {
  const exportDir = tempDir()

  async function drawn(options: Partial<StudioOptions> = {}): Promise<{ api: StudioApi; attemptId: string }> {
    const { api } = await openStudio({ dataDir: exportDir, ...options })
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    await api.commitStroke({ attemptId, stroke: line('pen', 150, 140, 330, 180) })
    return { api, attemptId }
  }

  it('renders the heatmap of the current drawing at 1x and 2x, and none for an empty one', async () => {
    const { api, attemptId } = await drawn()
    for (const scale of [1, 2] as const) {
      const pic = await api.attemptHeatmap({ attemptId, view: 'combined', scale })
      expect(pic).not.toBeNull()
      const meta = await sharp(pic!.png).metadata()
      expect([meta.width, meta.height]).toEqual([pic!.width, pic!.height])
      expect(pic!.frame).toEqual({ left: 0, top: 0, width: 500 * scale, height: 500 * scale })
    }
    await api.clearDrawing({ attemptId })
    expect(await api.attemptHeatmap({ attemptId, view: 'drawing', scale: 1 })).toBeNull()
  })

  it('lays comparison pictures over the canvas: each layer, raw and aligned, frame-sized; none while empty', async () => {
    const { api, attemptId } = await drawn()
    for (const layer of ['heatmap', 'match', 'reference'] as const)
      for (const aligned of [false, true]) {
        const pic = await api.attemptOverlay({ attemptId, layer, view: 'combined', aligned, scale: 2 })
        expect(pic).toMatchObject({
          layer,
          aligned,
          scale: 2,
          width: 1000,
          height: 1000,
          maxPercent: 10,
          tolerancePx: 5
        })
        const meta = await sharp(pic!.png).metadata()
        expect([meta.width, meta.height, meta.channels]).toEqual([1000, 1000, 4])
      }
    expect(
      await dispatch(api, 'attemptOverlay', { attemptId, layer: 'photo', view: 'combined', aligned: false, scale: 1 })
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    await api.clearDrawing({ attemptId })
    expect(
      await api.attemptOverlay({ attemptId, layer: 'match', view: 'combined', aligned: true, scale: 1 })
    ).toBeNull()
  })

  it('gives the host five files to download: the sheet (PDF, PNG), heatmap, drawing alone, session JSON, with the name', async () => {
    const { api, attemptId } = await drawn()
    await api.updateSettings({ name: 'Ada Lovelace' })
    const result = await api.exportAttempt({ attemptId, view: 'drawing', scale: 2 })
    expect(result.kind).toBe('download')
    if (result.kind !== 'download') return
    expect(result.files.map((f) => f.name)).toEqual([
      expect.stringMatching(/^Cube in two-point perspective \d{4}-\d\d-\d\d \d\d-\d\d-sheet\.pdf$/),
      expect.stringMatching(/-sheet\.png$/),
      expect.stringMatching(/-heatmap\.png$/),
      expect.stringMatching(/-drawing\.png$/),
      expect.stringMatching(/\.json$/)
    ])
    expect(new TextDecoder().decode(result.files[0].bytes.subarray(0, 5))).toBe('%PDF-')
    const sheet = await sharp(result.files[1].bytes).metadata()
    expect([sheet.width, sheet.height]).toEqual([1654, 2339])
    const drawing = await sharp(result.files[3].bytes).raw().toBuffer({ resolveWithObject: true })
    expect([drawing.info.width, drawing.info.height]).toEqual([1000, 1000])
    const session = JSON.parse(new TextDecoder().decode(result.files[4].bytes))
    expect(session).toMatchObject({
      format: 'sightline-session',
      version: 2,
      name: 'Ada Lovelace',
      reference: { id: 'bundled:cube' }
    })
    expect(session.ops ?? session.strokes).toBeTruthy()
  })

  it('writes into the folder the desktop user picks, remembers it, and honours cancel', async () => {
    const asked: (string | undefined)[] = []
    let answer: string | null = join(exportDir, 'exports')
    const { api, attemptId } = await drawn({ chooseExportFolder: async (suggested) => (asked.push(suggested), answer) })
    const first = await api.exportAttempt({ attemptId, view: 'combined', scale: 1 })
    expect(first).toMatchObject({ kind: 'saved', folder: join(exportDir, 'exports') })
    if (first.kind === 'saved') for (const f of first.files) expect(existsSync(f)).toBe(true)
    const second = await api.exportAttempt({ attemptId, view: 'combined', scale: 1 })
    expect(asked[1]).toBe(join(exportDir, 'exports'))
    // Nothing is overwritten: the second export gets its own names.
    if (first.kind === 'saved' && second.kind === 'saved') expect(second.files[0]).not.toBe(first.files[0])
    answer = null
    expect(await api.exportAttempt({ attemptId, view: 'combined', scale: 1 })).toEqual({ kind: 'cancelled' })
  })

  it('refuses to export an empty drawing with a clear message', async () => {
    const { api } = await openStudio({ dataDir: exportDir })
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:vase' })
    await expect(api.exportAttempt({ attemptId, view: 'combined', scale: 1 })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'there is nothing to export yet: draw something first'
    })
  })
})
