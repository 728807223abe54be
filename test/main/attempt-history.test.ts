import { describe, expect, it, onTestFinished } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { openStudio } from '../helpers/studio.ts'
import { AttemptService } from '#main/attempts/attempt-service.ts'
import { EvaluatorSupervisor } from '#main/evaluator/process/supervisor.ts'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import { History } from '#main/history/history.ts'
import type { HistoryStore } from '#main/history/store.ts'
import { editScoreOf } from '#main/history/stored.ts'
import { tempDir } from '../helpers/tmp.ts'

function line(tool: Stroke['tool'], x0: number, y0: number, x1: number, y1: number, size = 4): Stroke {
  const points = Array.from({ length: 10 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / 9,
    y: y0 + ((y1 - y0) * i) / 9,
    pressure: 0.7,
    tiltX: 5,
    tiltY: -3,
    t: i * 7.25
  }))
  return { tool, size, points }
}

const studio = async (dataDir: string) => (await openStudio({ dataDir })).api

describe('attempts are kept in the history', () => {
  it('finishes an attempt with its scores and images, listed in the history', async () => {
    const api = await studio(tempDir())
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    await api.commitStroke({ attemptId, stroke: line('pen', 180, 150, 320, 170), activeMs: 1200 })
    const last = await api.commitStroke({ attemptId, stroke: line('pen', 180, 150, 180, 330), activeMs: 2500 })
    expect(last.saveProblem).toBeNull()
    const done = await api.finishAttempt({ attemptId, activeMs: 3000 })
    expect(done.evaluation).toEqual(last.evaluation)
    const page = await api.listAttempts({ page: 0, pageSize: 10 })
    expect(page.total).toBe(1)
    expect(page.items[0]).toMatchObject({ attemptId, referenceId: 'bundled:cube', activeMs: 3000, strokeCount: 2 })
    expect(page.items[0].top5Error).toBe(done.evaluation.status === 'scored' ? done.evaluation.top5Error : null)
    expect(page.items[0].thumbnailPng?.length).toBeGreaterThan(100)
    const details = await api.attemptDetails({ attemptId })
    expect(details.evaluation).toEqual(done.evaluation)
    expect(details.drawingPng?.length).toBeGreaterThan(100)
    expect(details.heatmapPng?.length).toBeGreaterThan(100)
    expect(details.scores.map((s) => s.kind)).toEqual(['stroke', 'stroke'])
    // The live session is closed.
    await expect(api.undo({ attemptId })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('leaves no trace of an attempt without a single edit, and records one at its first edit', async () => {
    const api = await studio(tempDir())
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:vase' })
    expect((await api.listAttempts({ page: 0, pageSize: 10 })).total).toBe(0)
    expect(await api.resumeAttempt()).toBeNull()
    await api.finishAttempt({ attemptId })
    expect((await api.listAttempts({ page: 0, pageSize: 10 })).total).toBe(0)
    const second = await api.startAttempt({ referenceId: 'bundled:vase' })
    await api.commitStroke({ attemptId: second.attemptId, stroke: line('pen', 100, 100, 200, 120) })
    expect((await api.listAttempts({ page: 0, pageSize: 10 })).items.map((a) => [a.attemptId, a.endedAt])).toEqual([
      [second.attemptId, null]
    ])
  })

  it('resumes an unfinished attempt after a restart: same ops, cursor, scores and reference', async () => {
    const dataDir = tempDir()
    const firstStudio = await openStudio({ dataDir })
    const first = firstStudio.api
    const { attemptId } = await first.startAttempt({ referenceId: 'bundled:still-life' })
    await first.commitStroke({ attemptId, stroke: line('pen', 100, 300, 300, 310), activeMs: 500 })
    await first.commitStroke({ attemptId, stroke: line('pen', 120, 200, 200, 380, 7), activeMs: 900 })
    await first.commitStroke({ attemptId, stroke: line('eraser', 90, 305, 140, 305, 14), activeMs: 1300 })
    await first.undo({ attemptId, activeMs: 1400 })
    await first.clearDrawing({ attemptId, activeMs: 1500 })
    const before = await first.undo({ attemptId, activeMs: 1600 })
    // The app stops without finishing the attempt; the next start sees it.
    await firstStudio.dispose()
    const second = await studio(dataDir)
    const resumed = await second.resumeAttempt()
    expect(resumed).not.toBeNull()
    expect(resumed).toMatchObject({
      attemptId,
      referenceId: 'bundled:still-life',
      cursor: before.cursor,
      activeMs: 1600,
      saveProblem: null
    })
    expect(resumed!.ops).toHaveLength(before.opCount)
    expect(resumed!.evaluation).toEqual(before.evaluation)
    // ...and it goes on: redo the clear, as the first studio would have.
    const redone = await second.redo({ attemptId })
    expect(redone.evaluation.status).toBe('empty')
    expect(await second.resumeAttempt()).toMatchObject({ attemptId, cursor: redone.cursor })
  })

  it('keeps drawing when the history cannot be written, and saves everything once it can', async () => {
    const dataDir = tempDir()
    const real = new History(dataDir)
    onTestFinished(async () => {
      await evaluator.dispose()
      real.close()
    })
    let broken = false
    const flaky = {
      store: (): HistoryStore => {
        if (broken) throw new StudioError('storage', 'cannot save the last edit: the disk is full')
        return real.store()
      }
    } as unknown as History
    const evaluator = new EvaluatorSupervisor(inProcessLauncher(), {
      sessions: { snapshot: (session) => service.evaluatorSnapshot(session) }
    })
    const service: AttemptService = new AttemptService({
      frameOf: async () => ({ width: 500, height: 500 }),
      evaluator,
      history: flaky,
      loadInk: async () => {
        const mask = new Uint8Array(500 * 500)
        for (let x = 100; x < 400; x++) mask[250 * 500 + x] = 1
        return { mask, settings: { mode: 'threshold', threshold: 128 } }
      },
      describe: async (id) => ({ id, name: 'Line', source: 'bundled', width: 500, height: 500 })
    })
    const { attemptId } = await service.start('bundled:line')
    await service.commitStroke(attemptId, line('pen', 100, 240, 200, 240))
    broken = true
    const during = await service.commitStroke(attemptId, line('pen', 200, 245, 300, 245))
    expect(during.saveProblem).toBe('cannot save the last edit: the disk is full')
    expect(during.evaluation.status).toBe('scored')
    const undone = await service.undo(attemptId)
    expect(undone.saveProblem).toContain('disk is full')
    await expect(service.finish(attemptId)).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('could not be saved')
    })
    broken = false
    const after = await service.redo(attemptId)
    expect(after.saveProblem).toBeNull()
    const journal = real.store().attemptJournal(attemptId)
    expect(journal.entries.map((e) => e.op.kind)).toEqual(['stroke', 'stroke', 'undo', 'redo'])
    expect(journal.entries.at(-1)!.evaluation).toEqual(editScoreOf(after.evaluation))
    await service.finish(attemptId)
    expect(real.store().findUnfinishedAttempt()).toBeNull()
  })
})
