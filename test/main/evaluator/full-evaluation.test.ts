// The evaluation process's full evaluation (evaluation-service.ts): the analysis and the field
// against the reference moved onto the drawing, kept until the next edit and recomputed after it.
import { describe, expect, it } from 'vitest'
import { handleRequest } from '#main/evaluator/process/evaluation-service.ts'
import type { EvaluatorAnswer, EvaluatorRequest } from '#main/evaluator/process/protocol.ts'
import { alignReference, ShapeAnalyser } from '#main/evaluator/core/alignment/analyser.ts'
import type { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { centroid, moveLines, pixelsOf, rasterise, referenceLines } from './alignment/drawings.ts'
import { oracleEvaluation } from './oracle.ts'

const W = 300
const H = 240
const lines = referenceLines(W, H)
const reference = rasterise(lines, W, H, 1)
const c = centroid(pixelsOf(reference), W)
const drawing = pixelsOf(rasterise(moveLines(lines, { dx: 9, dy: -6, scale: 0.92, rotationDeg: 2 }, c), W, H, 1))

type Body = EvaluatorRequest extends infer R ? (R extends unknown ? Omit<R, 'session'> : never) : never
function session(): (body: Body) => EvaluatorAnswer {
  const sessions = new Map<string, StreamingEvaluator>()
  return (body) => {
    const reply = handleRequest(sessions, { ...body, session: 's' } as EvaluatorRequest)
    if (!reply.ok) throw new Error(reply.error.message)
    return reply.value
  }
}

describe('the full evaluation in the evaluation process', () => {
  it('answers the analysis and the aligned field of the drawing as it is, after every edit', () => {
    const ask = session()
    ask({ type: 'init', width: W, height: H, reference })
    expect(ask({ type: 'analysis' }).analysis).toBeNull()
    expect(ask({ type: 'alignedField' }).field).toBeNull()
    ask({ type: 'add', pixels: drawing })
    const { analysis } = ask({ type: 'analysis' })
    const raw = oracleEvaluation(
      reference,
      Uint8Array.from({ length: W * H }, (_, p) => (drawing.includes(p) ? 1 : 0)),
      W,
      H
    )
    if (raw.status !== 'scored' || !analysis) throw new Error('a drawing was drawn')
    const direct = new ShapeAnalyser(reference, W, H)
    expect(analysis).toEqual(direct.analyse(drawing, raw))
    direct.dispose()
    expect(analysis.alignment.scale).toBeCloseTo(0.92, 2)

    // Against the reference moved onto the drawing: exactly those pixels, scored as the spec says.
    const field = ask({ type: 'alignedField' }).field!
    const moved = alignReference(pixelsOf(reference), W, H, analysis.alignment, analysis.alignment.pivot)
    expect(Array.from(field.referencePixels)).toEqual(Array.from(moved))
    expect(Array.from(field.drawingPixels)).toEqual(Array.from(drawing))
    const movedMask = new Uint8Array(W * H)
    moved.forEach((p) => (movedMask[p] = 1))
    const drawnMask = new Uint8Array(W * H)
    drawing.forEach((p) => (drawnMask[p] = 1))
    expect(field.evaluation).toEqual(oracleEvaluation(movedMask, drawnMask, W, H))
    expect(field.evaluation.top5Error).toBeLessThan(raw.top5Error / 3)

    // An edit makes both stale: the next answers are of the new drawing.
    ask({ type: 'undo' })
    expect(ask({ type: 'analysis' }).analysis).toBeNull()
    expect(ask({ type: 'alignedField' }).field).toBeNull()
    ask({ type: 'redo' })
    expect(ask({ type: 'analysis' }).analysis).toEqual(analysis)
  })

  it('gives the raw field as the aligned one when the drawing is the reference itself', () => {
    const ask = session()
    ask({ type: 'init', width: W, height: H, reference })
    ask({ type: 'add', pixels: pixelsOf(reference) })
    const aligned = ask({ type: 'alignedField' }).field!
    const raw = ask({ type: 'errorField' }).field!
    expect(aligned).toEqual(raw)
    expect(aligned.evaluation.top5Error).toBe(0)
  })
})
