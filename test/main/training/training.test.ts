import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { generateDrill, type Drill, type Shape, ellipseSegments } from '#shared/drills/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import type { StudioApi } from '#shared/contract/api.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const dirs = tempDir()
let n = 0
const studio = () => openStudio({ dataDir: join(dirs, `t${n++}`) })
const frame = { width: 500, height: 500 }

/** Pen strokes along a drill's answer, moved by (dx, dy). */
function strokesAlong(shapes: readonly Shape[], dx = 0, dy = 0): Stroke[] {
  const pt = (x: number, y: number, t: number) => ({ x: x + dx, y: y + dy, pressure: 0.5, tiltX: 0, tiltY: 0, t })
  return shapes.map((s) => {
    const segs = s.kind === 'segment' ? [[s.a, s.b]] : s.kind === 'ellipse' ? ellipseSegments(s, 90) : [[s, s]]
    const points = segs.flatMap(([a, b], i) =>
      Array.from({ length: 8 }, (_, k) => pt(a.x + ((b.x - a.x) * k) / 8, a.y + ((b.y - a.y) * k) / 8, i * 8 + k))
    )
    const last = segs[segs.length - 1][1]
    points.push(pt(last.x, last.y, points.length))
    return { tool: 'pen', size: 3, points }
  })
}

async function draw(api: StudioApi, referenceId: string, strokes: Stroke[]): Promise<string> {
  const { attemptId } = await api.startAttempt({ referenceId })
  for (const stroke of strokes) await api.commitStroke({ attemptId, stroke })
  return attemptId
}

const scribble: Stroke = {
  tool: 'pen',
  size: 3,
  points: Array.from({ length: 20 }, (_, i) => ({
    x: 100 + i * 10,
    y: 200 + (i % 3) * 5,
    pressure: 0.5,
    tiltX: 0,
    tiltY: 0,
    t: i
  }))
}

describe('training sessions', () => {
  it('are laid out, kept with the attempts that drew them, finished, listed and repeated', async () => {
    const { api } = await studio()
    const bundled = (await api.listReferences())[0].id
    const plan: SessionPlan = {
      title: 'Warm-up',
      mode: 'copy',
      studySeconds: 10,
      order: 'listed',
      count: 3,
      seconds: [30, 60],
      items: [{ referenceId: bundled }, { referenceId: 'drill:ellipse:7', seconds: 120 }]
    }
    const session = await api.startSession({ plan, seed: 1 })
    expect(session.drawings.map((d) => [d.referenceId, d.seconds, d.attemptId])).toEqual([
      [bundled, 30, null],
      ['drill:ellipse:7', 120, null],
      [bundled, 30, null]
    ])
    const first = await draw(api, bundled, [scribble])
    await api.finishAttempt({ attemptId: first })
    await api.recordSessionDrawing({ sessionId: session.sessionId, position: 0, attemptId: first })
    // An attempt of another reference does not go in that place.
    await expect(
      api.recordSessionDrawing({ sessionId: session.sessionId, position: 1, attemptId: first })
    ).rejects.toMatchObject({ code: 'invalid-input' })
    const done = await api.finishSession({ sessionId: session.sessionId })
    expect(done.endedAt).not.toBeNull()
    expect(done.drawings[0].top5Error).toBeGreaterThan(0)
    expect(done.drawings[1].attemptId).toBeNull()
    const [summary] = await api.listSessions()
    expect(summary).toMatchObject({ sessionId: session.sessionId, title: 'Warm-up', drawings: 3, drawn: 1 })
    expect(summary.meanTop5Error).toBe(done.drawings[0].top5Error)
    // Repeating it is starting its plan again.
    const again = await api.startSession({ plan: done.plan, seed: 1 })
    expect(again.drawings.map((d) => d.referenceId)).toEqual(session.drawings.map((d) => d.referenceId))
  })

  it('refuse a plan with a reference that is not there, keeping nothing', async () => {
    const { api } = await studio()
    const plan: SessionPlan = {
      title: 'x',
      mode: 'copy',
      studySeconds: 5,
      order: 'random',
      count: 2,
      seconds: [30],
      items: [{ referenceId: 'lib:' + '0'.repeat(64) }]
    }
    await expect(api.startSession({ plan })).rejects.toMatchObject({ code: 'not-found' })
    expect(await api.listSessions()).toEqual([])
    await expect(api.getSession({ sessionId: 'nope' })).rejects.toMatchObject({ code: 'invalid-input' })
  })
})

describe('drills in the studio', () => {
  it('are references the evaluator scores, with their own figures, kept for trends', async () => {
    const { api } = await studio()
    const info = await api.newDrill({ kind: 'line-angle' })
    expect(info).toMatchObject({ kind: 'line-angle', frame })
    const drill = generateDrill('line-angle', info.seed, frame) as Extract<Drill, { kind: 'line-angle' }>
    expect(info.guide).toEqual(drill.guide)
    expect(await api.getReferenceImage({ id: info.referenceId })).toMatchObject({ width: 500, height: 500 })
    await expect(api.setReferenceInk({ id: info.referenceId, ink: { mode: 'auto' } })).rejects.toThrow(
      'its lines are fixed'
    )
    // Drawn exactly on the answer: no error in the evaluator's terms, nor in the drill's.
    const exact = await draw(api, info.referenceId, strokesAlong(drill.answer))
    const figures = await api.drillFigures({ attemptId: exact })
    expect(Math.abs(figures!.headline.value)).toBeLessThan(1)
    const { evaluation } = await api.finishAttempt({ attemptId: exact })
    expect(evaluation.status === 'scored' && evaluation.top5Error).toBeLessThan(1)
    // 12 px off: the evaluator sees it, and the figures come back the same from the history.
    const off = await draw(api, info.referenceId, strokesAlong(drill.answer, 0, 12))
    await api.finishAttempt({ attemptId: off })
    const later = await api.drillFigures({ attemptId: off })
    expect(later!.figures.find((f) => f.name === 'angle')!.value).toBeCloseTo(0, 0)
    const summary = await api.practiceSummary({ utcOffsetMinutes: 0 })
    expect(summary.drills).toHaveLength(1)
    expect(summary.drills[0]).toMatchObject({ kind: 'line-angle', unit: 'deg' })
    expect(summary.drills[0].points.map((p) => p.attemptId)).toEqual([exact, off])
    expect((await api.historyReferences()).find((r) => r.referenceId === info.referenceId)?.source).toBe('drill')
    expect((await api.newDrill({ kind: 'adaptive' })).referenceId).toMatch(/^drill:/)
  })

  it('refuse figures for an attempt that is not of a drill', async () => {
    const { api } = await studio()
    const id = await draw(api, (await api.listReferences())[0].id, [scribble])
    await expect(api.drillFigures({ attemptId: id })).rejects.toBeInstanceOf(StudioError)
  })
})

describe('practice', () => {
  it('sums drawing time per local day, and counts the days in a row that met the goal', async () => {
    const s = await studio()
    const store = s.services.history.store()
    const ref = (await s.api.listReferences())[0]
    store.upsertReference({
      id: ref.id,
      name: ref.name,
      source: 'bundled',
      width: 10,
      height: 10,
      inkSettings: ref.ink
    })
    const now = new Date('2026-03-10T20:00:00Z')
    const at = (iso: string, minutes: number) => {
      const { attemptId } = store.createAttempt({ referenceId: ref.id, startedAt: new Date(iso) })
      store.appendJournal(attemptId, {
        op: { kind: 'clear' },
        evaluation: { status: 'empty', reason: 'no drawing yet', referencePixels: 1, drawingPixels: 0 },
        activeMs: minutes * 60_000
      })
      store.finishAttempt(attemptId, {
        evaluation: { status: 'empty', reason: 'no drawing yet', referencePixels: 1, drawingPixels: 0 },
        activeMs: minutes * 60_000
      })
    }
    at('2026-03-07T12:00:00Z', 20) // met
    at('2026-03-08T12:00:00Z', 5) // not met
    at('2026-03-09T01:30:00Z', 16) // the 9th in UTC, the 8th at UTC-3
    at('2026-03-09T12:00:00Z', 16)
    at('2026-03-10T12:00:00Z', 10)
    await s.api.updateSettings({ training: { dailyGoalMinutes: 15 } })
    const utc = s.services.training.practiceSummary(0, 7, now)
    expect(utc.days.map((d) => [d.day, d.activeMs / 60_000])).toEqual([
      ['2026-03-04', 0],
      ['2026-03-05', 0],
      ['2026-03-06', 0],
      ['2026-03-07', 20],
      ['2026-03-08', 5],
      ['2026-03-09', 32],
      ['2026-03-10', 10]
    ])
    // Today (10 min) has not met the goal yet: the streak runs to yesterday, one day.
    expect(utc.streak).toBe(1)
    const west = s.services.training.practiceSummary(-180, 4, now)
    expect(west.days.map((d) => d.activeMs / 60_000)).toEqual([20, 21, 16, 10])
    expect(west.streak).toBe(3)
    await s.api.updateSettings({ training: { dailyGoalMinutes: 10 } })
    expect(s.services.training.practiceSummary(0, 7, now).streak).toBe(2)
  })
})

describe('assignment packs through the API', () => {
  it('go out as a file and come in from its bytes', async () => {
    const teacher = await studio()
    const plan: SessionPlan = {
      title: 'Drills',
      mode: 'copy',
      studySeconds: 5,
      order: 'listed',
      count: 2,
      seconds: [30],
      items: [{ referenceId: 'drill:box:9' }, { referenceId: (await teacher.api.listReferences())[1].id }]
    }
    const out = await teacher.api.exportPack({ plan })
    if (out.kind !== 'download') throw new Error('the host hands files back')
    expect(out.files[0].name).toBe('Drills.sightline-pack.json')
    const student = await studio()
    expect((await student.api.importPack({ fileName: out.files[0].name, bytes: out.files[0].bytes })).plan).toEqual(
      plan
    )
    await expect(student.api.importPack({ path: '/etc/passwd' })).rejects.toMatchObject({ code: 'forbidden' })
  })
})
