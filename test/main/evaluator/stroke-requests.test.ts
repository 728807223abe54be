// Strokes go to the evaluation process as points, and the process rasterises them: the scores
// must be exactly those of the same strokes rasterised here and sent as pixels.
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import { packStroke, unpackStroke } from '#main/evaluator/process/packed-stroke.ts'
import {
  EvaluatorSupervisor,
  type EvaluatorLauncher,
  type SessionSnapshot
} from '#main/evaluator/process/supervisor.ts'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'

const FRAME = { width: 120, height: 90 }

const point = fc.record({
  x: fc.double({ min: -20, max: 140, noNaN: true }),
  y: fc.double({ min: -20, max: 110, noNaN: true }),
  pressure: fc.double({ min: 0, max: 1, noNaN: true }),
  tiltX: fc.double({ min: -90, max: 90, noNaN: true }),
  tiltY: fc.double({ min: -90, max: 90, noNaN: true }),
  t: fc.double({ min: 0, max: 1e6, noNaN: true })
})
const stroke: fc.Arbitrary<Stroke> = fc.record({
  tool: fc.constantFrom('pen' as const, 'pen' as const, 'eraser' as const),
  size: fc.double({ min: 0.25, max: 30, noNaN: true }),
  points: fc.array(point, { minLength: 1, maxLength: 30 })
})

function reference(): Uint8Array {
  const r = new Uint8Array(FRAME.width * FRAME.height)
  for (let x = 10; x < 110; x++) r[40 * FRAME.width + x] = 1
  for (let y = 10; y < 80; y++) r[y * FRAME.width + 60] = 1
  return r
}

const supervisors: EvaluatorSupervisor[] = []
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.dispose()))
})

function open(launch: EvaluatorLauncher): { s: EvaluatorSupervisor; ready: Promise<unknown> } {
  const snapshot: SessionSnapshot = {
    init: { ...FRAME, reference: reference() },
    history: { ops: [], cursor: 0 }
  }
  const s = new EvaluatorSupervisor(launch, { sessions: { snapshot: () => snapshot } })
  supervisors.push(s)
  return { s, ready: s.open('a') }
}

describe('strokes rasterised in the evaluation process', () => {
  it('packs and unpacks every number exactly', () => {
    fc.assert(
      fc.property(stroke, (s) => {
        expect(unpackStroke(packStroke(s))).toEqual(s)
      })
    )
    expect(() => unpackStroke({ tool: 'pen', size: 1, points: new Float64Array(7) })).toThrow('six numbers')
  })

  it.each([
    ['on the calling thread', inProcessLauncher(), 40],
    ['in a worker thread', workerLauncher(), 3]
  ])('scores each stroke exactly as its pixels sent from here, %s', async (_where, launch, numRuns) => {
    await fc.assert(
      fc.asyncProperty(fc.array(stroke, { minLength: 1, maxLength: 8 }), async (strokes) => {
        const byPoints = open(launch)
        const byPixels = open(inProcessLauncher())
        await Promise.all([byPoints.ready, byPixels.ready])
        for (const s of strokes) {
          const pixels = rasterizeStroke(s, FRAME)
          const [mine, theirs] = await Promise.all([
            byPoints.s.stroke('a', packStroke(s)),
            s.tool === 'pen' ? byPixels.s.add('a', pixels) : byPixels.s.erase('a', pixels)
          ])
          expect(mine).toEqual(theirs)
        }
        const [a, b] = await Promise.all([byPoints.s.errorField('a'), byPixels.s.errorField('a')])
        expect(a).toEqual(b)
        await Promise.all([byPoints.s.dispose(), byPixels.s.dispose()])
      }),
      { numRuns }
    )
  })
})
