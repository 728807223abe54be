import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EvaluatorCore } from '#main/evaluator/core/core.ts'
import { EVALUATOR_CORE_WASM } from '#main/evaluator/core/evaluator-core-wasm.ts'
import {
  ARRAYS,
  ARRAY_NAMES,
  ELEMENT_BYTES,
  KERNEL_IMPORT_MODULE,
  KERNEL_SIZES,
  OFFSET_NAMESPACE,
  planLayout
} from '#main/evaluator/core/layout.ts'
import { KERNEL_LAYOUT_PATH, compileCore, kernelLayoutSource } from '#scripts/build-wasm.ts'
import { bfsDistances } from './oracle.ts'

// The WebAssembly reflection used here, typed locally (the Node typings have no WebAssembly namespace).
interface Descriptor {
  module?: string
  name: string
  kind: string
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: { new (bytes: Uint8Array): object; imports(m: object): Descriptor[]; exports(m: object): Descriptor[] }
    }
  }
).WebAssembly

const SIZES_500 = { width: 500, height: 500, refs: 3000, blocks: 400, histLength: 1001, listLength: 16384 }

describe('the WebAssembly core', () => {
  it('is exactly the compilation of kernels/ with the layout table (run `npm run build:wasm` after editing either)', async () => {
    expect(readFileSync(KERNEL_LAYOUT_PATH, 'utf8')).toBe(await kernelLayoutSource())
    const bytes = await compileCore()
    expect(Buffer.from(bytes).toString('base64')).toBe(EVALUATOR_CORE_WASM)
  }, 60_000)

  it('imports only the memory and the sizes and offsets the layout table provides', () => {
    const module = new wasm.Module(Buffer.from(EVALUATOR_CORE_WASM, 'base64'))
    const known = new Set([...KERNEL_SIZES, ...ARRAY_NAMES.map((n) => `${OFFSET_NAMESPACE}.${n}`)])
    const imports = wasm.Module.imports(module)
    expect(imports).toContainEqual({ module: 'env', name: 'memory', kind: 'memory' })
    for (const i of imports.filter((i) => i.kind !== 'memory')) {
      expect(i.module).toBe(KERNEL_IMPORT_MODULE)
      expect(i.kind).toBe('global')
      expect(known.has(i.name)).toBe(true)
    }
    expect(imports.some((i) => i.name === 'offset.refErr')).toBe(true)
    expect(
      wasm.Module.exports(module)
        .map((e) => e.name)
        .sort()
    ).toEqual(['addPixels', 'distanceTransform', 'inkWindow', 'rankCells'])
  })

  it('computes the exact L1 distance transform (breadth-first flood fill) on any window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 30 }),
        (w, h, points) => {
          const core = new EvaluatorCore({ width: 64, height: 80, refs: 1, blocks: 1, histLength: 145, listLength: 16 })
          const { scratch } = core.arrays
          const sources = new Uint8Array(w * h)
          for (const [a, b] of points) sources[(a % h) * w + (b % w)] = 1
          for (let p = 0; p < w * h; p++) scratch[p] = sources[p] ? 0 : 0xffff
          core.fn.distanceTransform(core.offsets.scratch, w, h)
          expect(Array.from(scratch.subarray(0, w * h))).toEqual(Array.from(bfsDistances(sources, w, h)))
        }
      ),
      { numRuns: 200 }
    )
  })

  it('keeps "no source" as 0xFFFF where a window has none', () => {
    const core = new EvaluatorCore({ width: 64, height: 64, refs: 1, blocks: 1, histLength: 129, listLength: 16 })
    const { scratch } = core.arrays
    scratch.fill(0xffff, 0, 30)
    core.fn.distanceTransform(core.offsets.scratch, 6, 5)
    expect([...scratch.subarray(0, 30)].every((v) => v === 0xffff)).toBe(true)
  })

  it('lays every array of the table out, with its type and length, without overlap inside one fixed memory', () => {
    const core = new EvaluatorCore(SIZES_500)
    const layout = planLayout(SIZES_500)
    const views = ARRAY_NAMES.map((name) => {
      const view = core.arrays[name]
      expect(view.BYTES_PER_ELEMENT).toBe(ELEMENT_BYTES[ARRAYS[name].type])
      expect(view.length).toBe(layout.lengths[name])
      expect(view.byteOffset).toBe(core.offsets[name])
      expect(view.byteOffset % view.BYTES_PER_ELEMENT).toBe(0)
      return view
    })
    expect(core.arrays.refDist.length).toBe(500 * 500)
    expect(core.arrays.cellMaxR.length).toBe(100)
    expect(core.arrays.blockStart.length).toBe(401)
    expect(core.arrays.refHist.length).toBe(1001)
    const spans = views.map((v) => [v.byteOffset, v.byteOffset + v.byteLength]).sort((a, b) => a[0] - b[0])
    expect(spans[0][0]).toBeGreaterThanOrEqual(0)
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1])
    expect(spans.at(-1)![1]).toBeLessThanOrEqual(core.bytes)
    // At 500 x 500 everything the evaluator keeps fits in 1.5 MB.
    expect(core.bytes).toBeLessThan(1.5 * 1024 * 1024)
  })
})
