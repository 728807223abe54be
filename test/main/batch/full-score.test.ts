import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FullScorer, maskInk } from '#main/batch/full-score.ts'
import { DistanceKernels } from '#main/batch/kernels.ts'
import { BATCH_KERNELS_WASM } from '#main/batch/kernels-wasm.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { maskToPixels } from '#main/references/ink.ts'
import { compileBatchKernels } from '#scripts/build-batch-wasm.ts'
import { bfsDistances, oracleEvaluation } from '#test/main/evaluator/oracle.ts'

/** A mask of w x h with ink where a seeded draw of density `d` says, plus some short lines. */
const maskArb = (w: number, h: number) =>
  fc
    .record({
      density: fc.constantFrom(0, 0.001, 0.01, 0.05, 0.3),
      seed: fc.integer(),
      lines: fc.array(fc.tuple(fc.nat(h - 1), fc.nat(w - 1), fc.integer({ min: 1, max: 40 }), fc.boolean()), {
        maxLength: 4
      })
    })
    .map(({ density, seed, lines }) => {
      const mask = new Uint8Array(w * h)
      let s = seed >>> 0
      for (let p = 0; p < mask.length; p++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0
        if (s / 2 ** 32 < density) mask[p] = 1
      }
      for (const [y, x, len, across] of lines)
        for (let k = 0; k < len; k++) {
          const yy = across ? y : Math.min(h - 1, y + k)
          const xx = across ? Math.min(w - 1, x + k) : x
          mask[yy * w + xx] = 1
        }
      return mask
    })

const frameArb = fc.tuple(fc.integer({ min: 64, max: 140 }), fc.integer({ min: 64, max: 140 }))

function streaming(reference: Uint8Array, drawing: Uint8Array, w: number, h: number) {
  const ev = new StreamingEvaluator(reference, w, h)
  ev.add(maskToPixels(drawing))
  const out = { evaluation: ev.evaluation(), field: ev.errorField() }
  ev.dispose()
  return out
}

describe('the batch scorer (full recomputation)', () => {
  it('is exactly the compilation of kernels/distance.ts (run `npm run build:wasm:batch` after editing it)', async () => {
    const bytes = await compileBatchKernels()
    expect(Buffer.from(bytes).toString('base64')).toBe(BATCH_KERNELS_WASM)
  }, 60_000)

  it('computes the exact L1 distance transform (breadth-first fill) of any mask', () => {
    fc.assert(
      fc.property(
        frameArb.chain(([w, h]) => fc.tuple(fc.constant(w), fc.constant(h), maskArb(w, h))),
        ([w, h, mask]) => {
          const kernels = new DistanceKernels(w, h)
          const count = kernels.transform(maskInk(mask, w), 0)
          expect(count).toBe(mask.reduce((a, v) => a + v, 0))
          if (count === 0) return
          expect(Array.from(kernels.distance[0])).toEqual(Array.from(bfsDistances(mask, w, h)))
          expect(Array.from(kernels.inkList[0].subarray(0, count))).toEqual(Array.from(maskToPixels(mask)))
        }
      ),
      { numRuns: 60 }
    )
  })

  it('gives the spec evaluation, equal to the oracle and to the streaming evaluator, field for field', () => {
    fc.assert(
      fc.property(
        frameArb.chain(([w, h]) => fc.tuple(fc.constant(w), fc.constant(h), maskArb(w, h), maskArb(w, h))),
        ([w, h, reference, drawing]) => {
          fc.pre(reference.some((v) => v))
          const scorer = new FullScorer(w, h)
          const ours = scorer.field(reference, drawing)
          expect(ours.evaluation).toEqual(oracleEvaluation(reference, drawing, w, h))
          expect(ours).toEqual(streaming(reference, drawing, w, h))
          expect(scorer.evaluate(reference, drawing)).toEqual(ours.evaluation)
        }
      ),
      { numRuns: 80 }
    )
  })

  it('keeps nothing from one image to the next', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(maskArb(100, 70), maskArb(100, 70)), { minLength: 2, maxLength: 5 }), (pairs) => {
        const scorer = new FullScorer(100, 70)
        for (const [reference, drawing] of pairs) {
          if (!reference.some((v) => v)) continue
          expect(scorer.evaluate(reference, drawing)).toEqual(oracleEvaluation(reference, drawing, 100, 70))
        }
      }),
      { numRuns: 30 }
    )
  })

  it('reads ink through a view (offset, row and pixel strides, blank value) as from a mask', () => {
    const w = 80,
      h = 64
    fc.assert(
      fc.property(maskArb(w, h), maskArb(w, h), fc.integer({ min: 1, max: 4 }), fc.nat(7), (ref, draw, stride, pad) => {
        fc.pre(ref.some((v) => v))
        // Both halves side by side in one "image" of `stride` bytes a pixel, blank = 255.
        const rowStride = (2 * w + 3) * stride + pad
        const data = new Uint8Array(rowStride * h + pad).fill(255)
        for (let y = 0; y < h; y++)
          for (let x = 0; x < w; x++) {
            if (ref[y * w + x]) data[pad + y * rowStride + x * stride] = 0
            if (draw[y * w + x]) data[pad + y * rowStride + (w + 3 + x) * stride] = 17
          }
        const view = (left: number) => ({
          data,
          offset: pad + left * stride,
          rowStride,
          pixelStride: stride,
          blank: 255
        })
        expect(new FullScorer(w, h).evaluateViews(view(0), view(w + 3))).toEqual(oracleEvaluation(ref, draw, w, h))
      }),
      { numRuns: 40 }
    )
  })

  it('matches worked numbers: one pixel 10 to the right of the reference is 0.4 % at 500 x 500', () => {
    const ref = new Uint8Array(500 * 500)
    const draw = new Uint8Array(500 * 500)
    ref[10 * 500 + 10] = 1
    draw[10 * 500 + 20] = 1
    const e = new FullScorer(500, 500).evaluate(ref, draw)
    expect(e).toMatchObject({ status: 'scored', top5Error: 0.4, meanError: 2, topError: 0.8, precision: 0, recall: 0 })
  })

  it('says "no score" for an empty drawing and refuses a reference without ink or masks of the wrong size', () => {
    const ref = new Uint8Array(64 * 64)
    ref[5] = 1
    const scorer = new FullScorer(64, 64)
    expect(scorer.evaluate(ref, new Uint8Array(64 * 64))).toEqual({
      status: 'empty',
      reason: 'no drawing yet',
      referencePixels: 1,
      drawingPixels: 0
    })
    expect(() => scorer.evaluate(new Uint8Array(64 * 64), ref, 'a.png')).toThrow(
      'a.png: the reference has no ink; lower the threshold or pick another image'
    )
    expect(() => scorer.evaluate(ref, new Uint8Array(10))).toThrow('the drawing mask has 10 pixels')
    expect(() => scorer.evaluateViews(maskInk(ref, 64), { ...maskInk(ref, 64), rowStride: 65 })).toThrow('does not fit')
    expect(() => new FullScorer(10, 64)).toThrow('frame width')
  })
})
