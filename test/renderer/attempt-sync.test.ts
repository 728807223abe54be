import { describe, expect, it } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { AttemptSync, type ScoredAt } from '#renderer/drawing/attempt-sync.ts'
import { EMPTY_HISTORY, commit, undo, type History } from '#shared/edit-history/index.ts'
import { fakeApi } from './fake-api.ts'

const line = (y: number, tool: Stroke['tool'] = 'pen'): Stroke => ({
  tool,
  size: 4,
  points: Array.from({ length: 10 }, (_, i) => ({ x: 50 + i * 20, y, pressure: 0.5, tiltX: 0, tiltY: 0, t: i * 8 }))
})

const flush = () => new Promise<void>((r) => setTimeout(r, 0))

function harness(options: Parameters<typeof fakeApi>[1] = {}, overrides: Parameters<typeof fakeApi>[0] = {}) {
  const fake = fakeApi(overrides, options)
  const scored: ScoredAt[] = []
  const failures: { message: string; resetTo: History | null }[] = []
  const sync = new AttemptSync(fake.api, {
    scored: (s) => scored.push(s),
    failed: (message, resetTo) => failures.push({ message, resetTo })
  })
  return { fake, sync, scored, failures }
}

describe('AttemptSync', () => {
  it('sends edits in order while the canvas goes on, and reports the score once all are answered', async () => {
    const { fake, sync, scored } = harness({ manual: true })
    void sync.start('bundled:cube')
    // Three strokes and an undo before the attempt has even started: nothing waits for the main side.
    let h = EMPTY_HISTORY
    for (const y of [100, 200, 300]) {
      h = commit(h, { kind: 'stroke', stroke: line(y) })
      sync.push({ kind: 'stroke', stroke: (h.ops[h.cursor - 1] as { stroke: Stroke }).stroke }, h)
    }
    h = undo(h)
    sync.push({ kind: 'undo' }, h)
    expect(sync.pending).toBe(true)
    while (fake.release()) await flush()
    await flush()
    while (fake.release()) await flush()
    expect(fake.calls).toEqual(['start bundled:cube', 'stroke pen', 'stroke pen', 'stroke pen', 'undo'])
    // Only the final state was reported (intermediate scores would be stale on arrival).
    expect(scored).toHaveLength(1)
    expect(scored[0].history).toBe(h)
    expect(scored[0].evaluation.status).toBe('scored')
    expect(sync.pending).toBe(false)
    const attempt = [...fake.attempts.values()][0]
    expect([attempt.cursor, attempt.ops.length]).toEqual([h.cursor, h.ops.length])
  })

  it('reports the empty score of a new attempt', async () => {
    const { sync, scored } = harness()
    await sync.start('bundled:cube')
    expect(scored.map((s) => s.evaluation.status)).toEqual(['empty'])
  })

  it('sends a replaced attempt’s last strokes and finishes it, but shows none of its scores', async () => {
    const { fake, sync, scored } = harness({ manual: true })
    void sync.start('bundled:cube')
    fake.release()
    await flush()
    const h = commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(100) })
    sync.push({ kind: 'stroke', stroke: line(100) }, h)
    await flush()
    void sync.start('bundled:vase') // while the stroke is in flight
    while (fake.release()) await flush()
    await flush()
    // Each attempt's empty start was reported; the old attempt's stroke answer was not.
    expect(scored.map((s) => s.history)).toEqual([EMPTY_HISTORY, EMPTY_HISTORY])
    expect(fake.calls).toEqual(['start bundled:cube', 'stroke pen', 'start bundled:vase', 'finish a1 0'])
    // The old attempt was kept with its stroke (nothing the user drew is lost).
    expect(fake.finished.map((a) => [a.attemptId, a.ops.length])).toEqual([['a1', 1]])
  })

  it('sends a new attempt’s edits even while an old attempt’s answer is still on its way', async () => {
    const { fake, sync, scored } = harness({ manual: true })
    void sync.start('bundled:cube')
    fake.release()
    await flush()
    sync.push({ kind: 'stroke', stroke: line(100) }, commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(100) }))
    await flush() // the cube stroke is in flight (held)
    void sync.start('bundled:vase')
    const h = commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(200) })
    sync.push({ kind: 'stroke', stroke: line(200) }, h)
    // The vase start is answered first, while the old stroke is still held; then the old stroke.
    await flush()
    expect(fake.calls).toEqual(['start bundled:cube', 'stroke pen', 'start bundled:vase'])
    fake.releaseNewest()
    await flush()
    fake.release()
    await flush()
    for (let i = 0; i < 5 && fake.heldCount > 0; i++) {
      fake.release()
      await flush()
    }
    expect(fake.calls).toEqual(['start bundled:cube', 'stroke pen', 'start bundled:vase', 'finish a1 0', 'stroke pen'])
    expect(scored[scored.length - 1].history).toBe(h)
    const vase = [...fake.attempts.values()].find((a) => a.referenceId === 'bundled:vase')!
    expect(vase.ops).toHaveLength(1)
  })

  it('answers questions after the edits sent before them, and drops them with a new attempt', async () => {
    const { fake, sync } = harness({ manual: true })
    void sync.start('bundled:cube')
    fake.release()
    await flush()
    const h = commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(100) })
    sync.push({ kind: 'stroke', stroke: line(100) }, h)
    const seen = sync.query(async (id) => fake.attempts.get(id)!.ops.length)
    await flush()
    fake.release()
    await flush()
    await expect(seen).resolves.toBe(1) // the stroke was in before the question was asked
    // Questions behind an edit still in flight are dropped when a new attempt begins.
    sync.push({ kind: 'stroke', stroke: line(200) }, commit(h, { kind: 'stroke', stroke: line(200) }))
    await flush()
    const dropped = sync.query(async () => 'never')
    const alsoDropped = sync.query(async () => 'never')
    void sync.start('bundled:vase')
    await expect(dropped).rejects.toThrow('a new attempt began')
    await expect(alsoDropped).rejects.toThrow('a new attempt began')
  })

  it('carries on with a resumed attempt from its history', async () => {
    const fake = fakeApi(
      {},
      {
        unfinished: {
          referenceId: 'bundled:cube',
          ops: [
            { kind: 'stroke', stroke: line(100) },
            { kind: 'stroke', stroke: line(200) }
          ],
          cursor: 1,
          activeMs: 42_000
        }
      }
    )
    const scored: ScoredAt[] = []
    const sync = new AttemptSync(fake.api, { scored: (x) => scored.push(x), failed: () => {} })
    const state = (await fake.api.resumeAttempt())!
    sync.resume(state)
    expect(scored).toHaveLength(1)
    expect(scored[0].history).toEqual({ ops: state.ops, cursor: 1 })
    // Redo the stroke that was undone, then a new one: the main side agrees on every step.
    sync.push({ kind: 'redo' }, { ops: state.ops, cursor: 2 })
    const h = commit({ ops: state.ops, cursor: 2 }, { kind: 'stroke', stroke: line(300) })
    sync.push({ kind: 'stroke', stroke: line(300) }, h)
    await flush()
    await flush()
    expect(scored[scored.length - 1].history).toBe(h)
    expect(fake.attempts.get('a0')!.ops).toHaveLength(3)
  })

  it('sends the drawing time with each edit and reports whether the attempt is saved', async () => {
    let now = 1000
    const fake = fakeApi({}, { saveProblem: 'the disk is full' })
    const saved: (string | null)[] = []
    const sync = new AttemptSync(
      fake.api,
      { scored: () => {}, failed: () => {}, saved: (p) => saved.push(p) },
      () => now
    )
    await sync.start('bundled:cube')
    now = 2500.4
    sync.push({ kind: 'stroke', stroke: line(100) }, commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(100) }))
    await flush()
    expect(fake.activeTimes).toEqual([2500])
    expect(saved).toEqual(['the disk is full', 'the disk is full'])
    now = 9000
    await sync.start('bundled:vase', 8000)
    await flush()
    expect(fake.calls).toContain('finish a1 8000')
  })

  it('on a failed edit, drops the queue and goes back to the last confirmed drawing', async () => {
    let n = 0
    const { fake, sync, failures, scored } = harness(
      {},
      {
        commitStroke: async () => {
          if (++n === 2) throw new StudioError('evaluator', 'the evaluator stopped and could not restart')
          return { evaluation: scored[0].evaluation, opCount: n, cursor: n, saveProblem: null }
        }
      }
    )
    await sync.start('bundled:cube')
    const h1 = commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(100) })
    sync.push({ kind: 'stroke', stroke: line(100) }, h1)
    await flush()
    const h2 = commit(h1, { kind: 'stroke', stroke: line(200) })
    sync.push({ kind: 'stroke', stroke: line(200) }, h2)
    const h3 = commit(h2, { kind: 'stroke', stroke: line(300) })
    sync.push({ kind: 'stroke', stroke: line(300) }, h3)
    await flush()
    await flush()
    expect(failures).toEqual([
      { message: 'could not score the last stroke: the evaluator stopped and could not restart', resetTo: h1 }
    ])
    expect(sync.pending).toBe(false)
    expect(fake.calls).toEqual(['start bundled:cube'])
  })

  it('stops scoring (keeping the ink) when the main side’s history disagrees', async () => {
    const { sync, failures } = harness(
      {},
      {
        undo: async () => ({
          evaluation: { status: 'empty', reason: 'no drawing yet', referencePixels: 1, drawingPixels: 0 },
          opCount: 7,
          cursor: 3,
          saveProblem: null
        })
      }
    )
    await sync.start('bundled:cube')
    const h = commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(100) })
    sync.push({ kind: 'stroke', stroke: line(100) }, h)
    sync.push({ kind: 'undo' }, undo(h))
    await flush()
    await flush()
    expect(failures).toHaveLength(1)
    expect(failures[0].message).toMatch(/history \(3 of 7 edits\) differs from the canvas \(0 of 1\)/)
    expect(failures[0].resetTo).toBeNull()
    sync.push({ kind: 'redo' }, h) // nothing more is sent
    expect(sync.pending).toBe(false)
  })

  it('keeps drawing unscored when no attempt can start', async () => {
    const { sync, failures } = harness(
      {},
      { startAttempt: async () => Promise.reject(new StudioError('not-found', 'no reference with id "bundled:gone"')) }
    )
    await sync.start('bundled:gone')
    expect(failures).toEqual([
      { message: 'could not start an attempt at this reference: no reference with id "bundled:gone"', resetTo: null }
    ])
    sync.push({ kind: 'stroke', stroke: line(1) }, commit(EMPTY_HISTORY, { kind: 'stroke', stroke: line(1) }))
    expect(sync.pending).toBe(false)
  })
})
