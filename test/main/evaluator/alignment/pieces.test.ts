// The alignment's pieces against obviously correct versions: distance maps against a
// breadth-first fill, the transforms against each other, the warp against its definition read
// literally over the whole frame, the search's objective against the exact figures.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { distanceMapOf } from '#main/evaluator/core/alignment/distance-map.ts'
import {
  drawingToReference,
  moveOf,
  paramsOf,
  referenceToDrawing,
  type Affine
} from '#main/evaluator/core/alignment/similarity.ts'
import { warpPixels, warpScratch } from '#main/evaluator/core/alignment/warp.ts'
import { samplePixels, levelDistance } from '#main/evaluator/core/alignment/objective.ts'
import { inkStats } from '#main/evaluator/core/alignment/ink-stats.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { bfsDistances } from '../oracle.ts'
import { frameArb, referenceArb } from '../arbitraries.ts'

const pixelsOf = (mask: Uint8Array): Int32Array => Int32Array.from(Array.from(mask).flatMap((v, p) => (v ? [p] : [])))
const apply = (t: Affine, x: number, y: number): [number, number] => [
  t.a * x + t.b * y + t.tx,
  t.c * x + t.d * y + t.ty
]
const paramsArb = fc.record({
  dx: fc.double({ min: -40, max: 40, noNaN: true }),
  dy: fc.double({ min: -40, max: 40, noNaN: true }),
  logScale: fc.double({ min: Math.log(0.5), max: Math.log(2), noNaN: true }),
  theta: fc.double({ min: -0.6, max: 0.6, noNaN: true })
})

describe('distance maps', () => {
  it('at factor 1 equal a breadth-first fill from the ink', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) => fc.tuple(fc.constant(frame), referenceArb(frame))),
        ([{ width, height }, mask]) => {
          const map = distanceMapOf(pixelsOf(mask), width, height)
          expect(Array.from(map.data)).toEqual(Array.from(bfsDistances(mask, width, height)))
        }
      ),
      { numRuns: 60 }
    )
  })

  it('at factor f are the exact map of the pooled grid (a cell is ink when any of its pixels is)', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) => fc.tuple(fc.constant(frame), referenceArb(frame), fc.constantFrom(2, 4, 8))),
        ([{ width, height }, mask, f]) => {
          const w = Math.ceil(width / f)
          const h = Math.ceil(height / f)
          const pooled = new Uint8Array(w * h)
          for (let y = 0; y < height; y++)
            for (let x = 0; x < width; x++)
              if (mask[y * width + x]) pooled[Math.floor(y / f) * w + Math.floor(x / f)] = 1
          const map = distanceMapOf(pixelsOf(mask), width, height, f)
          expect([map.width, map.height, map.factor]).toEqual([w, h, f])
          expect(Array.from(map.data)).toEqual(Array.from(bfsDistances(pooled, w, h)))
        }
      ),
      { numRuns: 60 }
    )
  })

  it('refuses a factor that is not a power of two', () => {
    expect(() => distanceMapOf([0], 64, 64, 3)).toThrow(/power of two/)
  })
})

describe('similarity transforms', () => {
  it('F and G undo each other, and G takes the pivot to the pivot minus the offset', () => {
    fc.assert(
      fc.property(
        paramsArb,
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (params, px, py) => {
          const pivot = { x: 200.5, y: 130.25 }
          const g = drawingToReference(params, pivot)
          const f = referenceToDrawing(params, pivot)
          const [gx, gy] = apply(g, px, py)
          const [bx, by] = apply(f, gx, gy)
          expect(bx).toBeCloseTo(px, 8)
          expect(by).toBeCloseTo(py, 8)
          const [cx, cy] = apply(g, pivot.x, pivot.y)
          expect(cx).toBeCloseTo(pivot.x - params.dx, 8)
          expect(cy).toBeCloseTo(pivot.y - params.dy, 8)
        }
      )
    )
  })

  it('reads as the report says: a positive turn is clockwise on screen, a scale below 1 is smaller', () => {
    const pivot = { x: 0, y: 0 }
    // F puts the reference's point one pixel to the right of the pivot below it when turned 90 degrees clockwise (y down).
    const [x, y] = apply(referenceToDrawing({ dx: 0, dy: 0, logScale: Math.log(0.5), theta: Math.PI / 2 }, pivot), 1, 0)
    expect(x).toBeCloseTo(0, 12)
    expect(y).toBeCloseTo(0.5, 12)
    expect(moveOf(paramsOf({ dx: 3, dy: -2, scale: 0.9, rotationDeg: 4 }))).toEqual({
      dx: 3,
      dy: -2,
      scale: expect.closeTo(0.9, 12),
      rotationDeg: expect.closeTo(4, 12)
    })
  })
})

describe('warp', () => {
  it('is the union of each pixel sent to its nearest G(p) and every pixel q with F(q) nearest an ink pixel', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) => fc.tuple(fc.constant(frame), referenceArb(frame))),
        paramsArb,
        ([{ width, height }, mask], params) => {
          const pixels = pixelsOf(mask)
          const pivot = { x: width / 2 + 0.3, y: height / 2 - 0.7 }
          const g = drawingToReference(params, pivot)
          const f = referenceToDrawing(params, pivot)
          const expected = new Set<number>()
          const inFrame = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height
          for (const p of pixels) {
            const [x, y] = apply(g, p % width, Math.floor(p / width))
            const [nx, ny] = [Math.floor(x + 0.5), Math.floor(y + 0.5)]
            if (inFrame(nx, ny)) expected.add(ny * width + nx)
          }
          for (let qy = 0; qy < height; qy++)
            for (let qx = 0; qx < width; qx++) {
              const [x, y] = apply(f, qx, qy)
              const [nx, ny] = [Math.floor(x + 0.5), Math.floor(y + 0.5)]
              if (inFrame(nx, ny) && mask[ny * width + nx]) expected.add(qy * width + qx)
            }
          const scratch = warpScratch(width, height)
          const got = warpPixels(pixels, width, height, g, f, scratch)
          expect(Array.from(got)).toEqual([...expected].sort((a, b) => a - b))
          expect(scratch.marks.every((m) => m === 0)).toBe(true)
        }
      ),
      { numRuns: 80 }
    )
  })

  it('gives the drawing back unchanged under the identity, and shifted under a whole-pixel shift', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) => fc.tuple(fc.constant(frame), referenceArb(frame))),
        fc.integer({ min: -5, max: 5 }),
        fc.integer({ min: -5, max: 5 }),
        ([{ width, height }, mask], sx, sy) => {
          const pixels = pixelsOf(mask)
          const pivot = { x: 10.5, y: 20.25 }
          const still = { dx: 0, dy: 0, logScale: 0, theta: 0 }
          const scratch = warpScratch(width, height)
          expect(
            Array.from(
              warpPixels(
                pixels,
                width,
                height,
                drawingToReference(still, pivot),
                referenceToDrawing(still, pivot),
                scratch
              )
            )
          ).toEqual(Array.from(pixels))
          // G moves the drawing back by the offset.
          const shift = { dx: -sx, dy: -sy, logScale: 0, theta: 0 }
          const shifted = Array.from(pixels)
            .map((p) => [(p % width) + sx, Math.floor(p / width) + sy])
            .filter(([x, y]) => x >= 0 && y >= 0 && x < width && y < height)
            .map(([x, y]) => y * width + x)
            .sort((a, b) => a - b)
          expect(
            Array.from(
              warpPixels(
                pixels,
                width,
                height,
                drawingToReference(shift, pivot),
                referenceToDrawing(shift, pivot),
                scratch
              )
            )
          ).toEqual(shifted)
        }
      ),
      { numRuns: 60 }
    )
  })
})

describe('the objective', () => {
  it('at the identity, uncapped, on every pixel, is the exact symmetric mean distance (extraInk and missedLines)', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) => fc.tuple(fc.constant(frame), referenceArb(frame), referenceArb(frame))),
        ([{ width, height }, reference, drawing]) => {
          const r = pixelsOf(reference)
          const d = pixelsOf(drawing)
          const ev = new StreamingEvaluator(reference, width, height)
          ev.add(d)
          const e = ev.evaluation()
          ev.dispose()
          if (e.status !== 'scored') throw new Error('a drawing was drawn')
          const level = {
            referenceMap: distanceMapOf(r, width, height),
            drawingSamples: samplePixels(d, width, d.length),
            cap: Infinity,
            reverse: { drawingMap: distanceMapOf(d, width, height), referenceSamples: samplePixels(r, width, r.length) }
          }
          const pivot = inkStats(d, width)
          const still = { dx: 0, dy: 0, logScale: 0, theta: 0 }
          const toPx = e.side / 100
          expect(levelDistance(level, still, { x: pivot.cx, y: pivot.cy })).toBeCloseTo(
            ((e.extraInk.mean + e.missedLines.mean) / 2) * toPx,
            9
          )
          // Without the other direction: the drawing's mean distance alone.
          expect(levelDistance({ ...level, reverse: undefined }, still, { x: pivot.cx, y: pivot.cy })).toBeCloseTo(
            e.extraInk.mean * toPx,
            9
          )
        }
      ),
      { numRuns: 60 }
    )
  })

  it('counts a point outside the frame by its L1 distance to the nearest ink, and caps every distance', () => {
    const width = 64
    const height = 64
    const ink = [10 * width + 5] // (x 5, y 10)
    const map = distanceMapOf(ink, width, height)
    const at = (x: number, y: number, cap = Infinity): number =>
      levelDistance(
        {
          referenceMap: map,
          drawingSamples: { x: Float64Array.of(x), y: Float64Array.of(y) },
          cap,
          reverse: { drawingMap: map, referenceSamples: { x: Float64Array.of(5), y: Float64Array.of(10) } }
        },
        { dx: 0, dy: 0, logScale: 0, theta: 0 },
        { x: 0, y: 0 }
      ) * 2
    expect(at(-7, 10)).toBeCloseTo(12, 9)
    expect(at(5, -3)).toBeCloseTo(13, 9)
    expect(at(-2, -2)).toBeCloseTo(19, 9)
    expect(at(8.5, 10)).toBeCloseTo(3.5, 9)
    expect(at(-7, 10, 4)).toBeCloseTo(4, 9)
  })
})
