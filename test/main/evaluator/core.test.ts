import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EvaluatorCore } from '#main/evaluator/core/core.ts'
import { EVALUATOR_CORE_WASM } from '#main/evaluator/core/evaluator-core-wasm.ts'
import { compileCore } from '#scripts/build-wasm.ts'
import { bfsDistances } from './oracle.ts'

describe('the WebAssembly core', () => {
  it('is exactly the compilation of evaluator-core.wat (run `npm run build:wasm` after editing it)', async () => {
    const bytes = await compileCore()
    expect(Buffer.from(bytes).toString('base64')).toBe(EVALUATOR_CORE_WASM)
    expect(
      readFileSync(join(import.meta.dirname, '../../../src/main/evaluator/core/evaluator-core.wat'), 'utf8')
    ).toContain('(export "dt")')
  })

  it('computes the exact L1 distance transform (breadth-first flood fill) on any window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
        (w, h, points) => {
          const core = new EvaluatorCore({ width: 64, height: 80, refs: 1, blocks: 1, histLength: 145, listLength: 16 })
          const sources = new Uint8Array(w * h)
          for (const [a, b] of points) sources[(a % h) * w + (b % w)] = 1
          for (let p = 0; p < w * h; p++) core.scratch[p] = sources[p] ? 0 : 0xffff
          core.fn.dt(core.at.scratch, w, h)
          expect(Array.from(core.scratch.subarray(0, w * h))).toEqual(Array.from(bfsDistances(sources, w, h)))
        }
      ),
      { numRuns: 200 }
    )
  })

  it('keeps "no source" as 0xFFFF where a window has none', () => {
    const core = new EvaluatorCore({ width: 64, height: 64, refs: 1, blocks: 1, histLength: 129, listLength: 16 })
    core.scratch.fill(0xffff, 0, 30)
    core.fn.dt(core.at.scratch, 6, 5)
    expect([...core.scratch.subarray(0, 30)].every((v) => v === 0xffff)).toBe(true)
  })

  it('lays every array out without overlap inside one fixed memory', () => {
    const core = new EvaluatorCore({
      width: 500,
      height: 500,
      refs: 3000,
      blocks: 400,
      histLength: 1001,
      listLength: 16384
    })
    const views = [
      core.refDist,
      core.ink,
      core.rowCell,
      core.colCell,
      core.refYX,
      core.refErr,
      core.blockStart,
      core.blockY0,
      core.blockY1,
      core.blockX0,
      core.blockX1,
      core.blockMax,
      core.cellBlockStart,
      core.cellY0,
      core.cellY1,
      core.cellX0,
      core.cellX1,
      core.cellMaxR,
      core.cellMaxD,
      core.refFine,
      core.refCoarse,
      core.drawFine,
      core.drawCoarse,
      core.scratch,
      core.list
    ]
    const spans = views.map((v) => [v.byteOffset, v.byteOffset + v.byteLength]).sort((a, b) => a[0] - b[0])
    expect(spans[0][0]).toBeGreaterThanOrEqual(512)
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1])
    expect(spans.at(-1)![1]).toBeLessThanOrEqual(core.bytes)
    // At 500 x 500 everything the evaluator keeps fits in 1.5 MB.
    expect(core.bytes).toBeLessThan(1.5 * 1024 * 1024)
  })
})
