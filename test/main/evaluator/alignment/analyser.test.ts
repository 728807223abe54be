// The shape analysis: known moves recovered (placement within 1 px, scale within 1 %, turn
// within 1 degree, shape error at most 1.5 %) at several frame sizes, square and not; on random
// drawings the aligned figures are those of the drawing moved as reported, and never worse than
// the raw ones; bad input refused with a clear error.
import { afterAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { alignDrawing, ShapeAnalyser, symmetricMean } from '#main/evaluator/core/alignment/analyser.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import type { ScoredEvaluation } from '#shared/contract/scores.ts'
import { frameArb, referenceArb, shapeArb, shapePixels } from '../arbitraries.ts'
import {
  centroid,
  expectedOffset,
  moveLines,
  pixelsOf,
  rasterise,
  referenceLines,
  type Move,
  type Point
} from './drawings.ts'

function scored(reference: Uint8Array, width: number, height: number, pixels: ArrayLike<number>): ScoredEvaluation {
  const ev = new StreamingEvaluator(reference, width, height)
  ev.add(pixels)
  const e = ev.evaluation()
  ev.dispose()
  if (e.status !== 'scored') throw new Error('expected a scored drawing')
  return e
}

const moveArb: fc.Arbitrary<Move> = fc.record({
  dx: fc.double({ min: -60, max: 60, noNaN: true }),
  dy: fc.double({ min: -60, max: 60, noNaN: true }),
  scale: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
  rotationDeg: fc.double({ min: -10, max: 10, noNaN: true })
})

const analysers: ShapeAnalyser[] = []
afterAll(() => analysers.forEach((a) => a.dispose()))

describe('recovery of a known move', () => {
  const FRAMES = [
    { width: 500, height: 500, runs: 14 },
    { width: 640, height: 420, runs: 10 },
    { width: 420, height: 600, runs: 10 },
    { width: 1200, height: 900, runs: 4 },
    { width: 2000, height: 2000, runs: 2 }
  ]
  for (const { width, height, runs } of FRAMES) {
    it(`at ${width} x ${height}`, () => {
      const side = Math.max(width, height)
      const lines = referenceLines(width, height)
      const reference = rasterise(lines, width, height, side / 500)
      const c = centroid(pixelsOf(reference), width)
      const analyser = new ShapeAnalyser(reference, width, height)
      analysers.push(analyser)
      fc.assert(
        fc.property(moveArb, (move) => {
          const moved = moveLines(lines, move, c)
          // The whole drawing stays in the frame (a cut-off drawing is another matter).
          fc.pre(moved.flat().every(([x, y]) => x > 4 && y > 4 && x < width - 5 && y < height - 5))
          const drawing = pixelsOf(rasterise(moved, width, height, (move.scale * side) / 500))
          const { alignment } = analyser.analyse(drawing, scored(reference, width, height, drawing))
          const at: Point = [alignment.pivot.x, alignment.pivot.y]
          expect(at).toEqual(centroid(drawing, width).map((v) => expect.closeTo(v, 9)))
          const [ex, ey] = expectedOffset(move, c, at)
          expect(Math.hypot(alignment.dx - ex, alignment.dy - ey)).toBeLessThanOrEqual(1)
          expect(Math.abs(alignment.scale / move.scale - 1)).toBeLessThanOrEqual(0.01)
          expect(Math.abs(alignment.rotationDeg - move.rotationDeg)).toBeLessThanOrEqual(1)
          expect(alignment.top5Error).toBeLessThanOrEqual(1.5)
        }),
        { numRuns: runs, seed: 10 }
      )
    }, 120_000)
  }

  it('says which way: right and below are positive, smaller is below 1, clockwise is positive', () => {
    const [width, height] = [500, 500]
    const lines = referenceLines(width, height)
    const reference = rasterise(lines, width, height, 1)
    const c = centroid(pixelsOf(reference), width)
    const analyser = new ShapeAnalyser(reference, width, height)
    analysers.push(analyser)
    const move = { dx: 12, dy: -8, scale: 0.9, rotationDeg: 4 }
    const drawing = pixelsOf(rasterise(moveLines(lines, move, c), width, height, 0.9))
    const raw = scored(reference, width, height, drawing)
    const { alignment, proportion } = analyser.analyse(drawing, raw)
    expect(alignment.dx).toBeCloseTo(12, 0)
    expect(alignment.dy).toBeCloseTo(-8, 0)
    expect(alignment.scale).toBeCloseTo(0.9, 2)
    expect(alignment.rotationDeg).toBeCloseTo(4, 0)
    expect(raw.top5Error).toBeGreaterThan(3)
    expect(alignment.top5Error).toBeLessThan(1)
    // The ink box of a smaller drawing is smaller (turned a little, so not exactly 0.9).
    expect(proportion.widthRatio).toBeGreaterThan(0.85)
    expect(proportion.widthRatio).toBeLessThan(0.97)
    // The work is bounded whatever the machine (the speed targets are in npm run bench:alignment):
    // about 110 000 distance reads here.
    expect(analyser.counters.lookups).toBeLessThan(160_000)
    expect(analyser.counters.evaluations).toBeLessThan(500)
  })
})

describe('on any drawing', () => {
  it('the aligned figures are those of the drawing moved as reported, and never worse than the raw ones', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) =>
          fc.tuple(fc.constant(frame), referenceArb(frame), fc.array(shapeArb, { minLength: 1, maxLength: 5 }))
        ),
        ([frame, reference, shapes]) => {
          const { width, height } = frame
          const drawing = Int32Array.from(new Set(shapes.flatMap((s) => shapePixels(s, frame)))).sort()
          fc.pre(drawing.length > 0)
          const raw = scored(reference, width, height, drawing)
          const analyser = new ShapeAnalyser(reference, width, height)
          const { alignment } = analyser.analyse(drawing, raw)
          analyser.dispose()
          const moved = alignDrawing(drawing, width, height, alignment, alignment.pivot)
          const aligned = scored(reference, width, height, moved)
          expect(alignment.top5Error).toBe(aligned.top5Error)
          expect(alignment.meanError).toBe(aligned.meanError)
          expect(symmetricMean(aligned)).toBeLessThanOrEqual(symmetricMean(raw))
          if (alignment.dx === 0 && alignment.dy === 0 && alignment.scale === 1 && alignment.rotationDeg === 0) {
            expect(Array.from(moved)).toEqual(Array.from(drawing))
            expect(alignment.top5Error).toBe(raw.top5Error)
          } else expect(symmetricMean(aligned)).toBeLessThan(symmetricMean(raw))
        }
      ),
      { numRuns: 150 }
    )
  })

  it('a drawing identical to the reference stays where it is, with the same figures', () => {
    const [width, height] = [300, 200]
    const reference = rasterise(referenceLines(width, height), width, height, 1)
    const drawing = pixelsOf(reference)
    const analyser = new ShapeAnalyser(reference, width, height)
    const { alignment, proportion } = analyser.analyse(drawing, scored(reference, width, height, drawing))
    analyser.dispose()
    expect(alignment).toMatchObject({ dx: 0, dy: 0, scale: 1, rotationDeg: 0, top5Error: 0, meanError: 0 })
    expect(proportion).toEqual({ widthRatio: 1, heightRatio: 1 })
  })

  it('proportion is the drawing ink box over the reference ink box, across and down', () => {
    const [width, height] = [100, 80]
    const reference = new Uint8Array(width * height)
    // Reference: a frame of a box 50 wide (x 10..59), 20 high (y 10..29).
    for (let x = 10; x < 60; x++) reference[10 * width + x] = reference[29 * width + x] = 1
    for (let y = 10; y < 30; y++) reference[y * width + 10] = reference[y * width + 59] = 1
    // Drawing: a line 40 wide (x 20..59) and a dot 29 rows below it (y 30..59): 40 x 30.
    const drawing: number[] = []
    for (let x = 20; x < 60; x++) drawing.push(30 * width + x)
    drawing.push(59 * width + 40)
    const analyser = new ShapeAnalyser(reference, width, height)
    const { proportion } = analyser.analyse(drawing, scored(reference, width, height, drawing))
    analyser.dispose()
    expect(proportion).toEqual({ widthRatio: 40 / 50, heightRatio: 30 / 20 })
  })
})

describe('bad input', () => {
  it('is refused with what is wrong', () => {
    expect(() => new ShapeAnalyser(new Uint8Array(10), 64, 64)).toThrow(/has 10 pixels; a 64 x 64 frame has 4096/)
    expect(() => new ShapeAnalyser(new Uint8Array(64 * 64), 64, 64)).toThrow(/the reference has no ink/)
    expect(() => new ShapeAnalyser(new Uint8Array(30 * 64), 30, 64)).toThrow(
      /frame width must be a whole number from 64/
    )
    const reference = new Uint8Array(64 * 64)
    reference[100] = 1
    expect(() => new ShapeAnalyser(reference, 64, 64, { referenceDistance: new Uint16Array(5) })).toThrow(
      /distance map has 5 pixels, not 4096/
    )
    const analyser = new ShapeAnalyser(reference, 64, 64)
    const raw = scored(reference, 64, 64, [200])
    expect(() => analyser.analyse([], raw)).toThrow(/scores are of 1 drawing pixels, the drawing has 0/)
    expect(() => analyser.analyse([200, 201], raw)).toThrow(/scores are of 1 drawing pixels, the drawing has 2/)
    analyser.dispose()
  })
})
