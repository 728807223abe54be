// The evaluation process dies while attempts are open: the supervisor rebuilds every session
// from the attempt service's own histories (no second journal), answers the edits that were in
// flight from the new process, and every score equals an uninterrupted run's.
import { describe, expect, it } from 'vitest'
import type { AttemptsApi, EditResult } from '#shared/contract/attempts.ts'
import type { Edit } from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { openStudio } from '#test/helpers/studio.ts'
import type { EvaluatorLauncher } from '#main/evaluator/process/supervisor.ts'
import { killable } from '#test/helpers/launchers.ts'
import { tempDir } from '#test/helpers/tmp.ts'

/** A deterministic wobbly stroke. */
function stroke(seed: number, tool: Stroke['tool']): Stroke {
  const cx = 80 + ((seed * 73) % 340)
  const cy = 80 + ((seed * 41) % 340)
  const points = Array.from({ length: 14 }, (_, i) => ({
    x: cx + i * 5,
    y: cy + Math.sin(i * 0.6 + seed) * 18,
    pressure: 0.3 + 0.6 * Math.abs(Math.sin(i * 0.4 + seed)),
    tiltX: 0,
    tiltY: 0,
    t: i * 8
  }))
  return { tool, size: tool === 'pen' ? 3 + (seed % 4) : 14, points }
}

/**
 * n edits: mostly strokes, some erasing, construction lines and their clear, undo, redo and clear
 * (seeded, so both studios get the same).
 */
function edits(seed: number, n: number): Edit[] {
  let x = seed
  const next = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  return Array.from({ length: n }, (_, i): Edit => {
    const r = next()
    if (r < 0.15) return { kind: 'undo' }
    if (r < 0.25) return { kind: 'redo' }
    if (r < 0.3) return { kind: 'clear' }
    if (r < 0.33) return { kind: 'clear', layer: 'construction' }
    if (r < 0.45)
      return { kind: 'stroke', layer: 'construction', stroke: { ...stroke(seed * 100 + i, 'pen'), tool: 'pen' } }
    return { kind: 'stroke', stroke: stroke(seed * 100 + i, r < 0.55 ? 'eraser' : 'pen') }
  })
}

function send(api: AttemptsApi, attemptId: string, edit: Edit): Promise<EditResult> {
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

async function studio(launchEvaluator?: EvaluatorLauncher) {
  return (await openStudio({ dataDir: tempDir(), launchEvaluator })).api
}

describe('attempts when the evaluation process dies', () => {
  it('go on with the scores of an uninterrupted run, in-flight edits answered by the new process', async () => {
    const process = killable()
    const crashy = await studio(process.launch)
    const steady = await studio()
    const references = ['bundled:cube', 'bundled:vase']
    const open = async (api: AttemptsApi) =>
      Promise.all(references.map(async (referenceId) => (await api.startAttempt({ referenceId })).attemptId))
    const [crashyIds, steadyIds] = [await open(crashy), await open(steady)]
    const script = [edits(7, 36), edits(11, 36)]

    /** Edits k .. k + n of both attempts, all sent at once (the service queues them per attempt). */
    const batch = (api: AttemptsApi, ids: string[], k: number, n: number): Promise<EditResult[]> =>
      Promise.all(ids.flatMap((id, a) => script[a].slice(k, k + n).map((edit) => send(api, id, edit))))

    const expected: EditResult[] = []
    const got: EditResult[] = []
    for (let k = 0; k < 36; k += 6) {
      expected.push(...(await batch(steady, steadyIds, k, 6)))
      if (k === 6) process.dieOn((r) => r.type === 'stroke') // mid-stroke
      if (k === 18) process.dieOn((r) => r.type === 'undo' || r.type === 'redo' || r.type === 'clear')
      if (k === 30) process.kill() // between edits, nothing in flight
      got.push(...(await batch(crashy, crashyIds, k, 6)))
    }
    expect(process.launches).toBe(4)
    expect(got).toEqual(expected)
    // The drawings themselves are the same: their heatmaps match byte for byte.
    for (let a = 0; a < 2; a++) {
      const args = { view: 'combined' as const, scale: 1 as const }
      const [mine, theirs] = await Promise.all([
        crashy.attemptHeatmap({ attemptId: crashyIds[a], ...args }),
        steady.attemptHeatmap({ attemptId: steadyIds[a], ...args })
      ])
      expect(mine).toEqual(theirs)
    }
  })
})
