// The evaluator's memory: every array of one evaluator lives in one WebAssembly memory, laid out
// by layout.ts, so the kernels (kernels/, AssemblyScript) and the rest (streaming-evaluator.ts)
// work on the same data without copying. Typed-array views are made once; the memory never grows.
import { base64ToBytes } from '#shared/base64.ts'
import { EVALUATOR_CORE_WASM } from './evaluator-core-wasm.ts'
import {
  ARRAYS,
  ARRAY_NAMES,
  KERNEL_IMPORT_MODULE,
  kernelImports,
  planLayout,
  type ArrayName,
  type CoreSizes,
  type ElementType
} from './layout.ts'

export type { CoreSizes } from './layout.ts'

/** The kernels' exports (kernels/index.ts). */
export interface Kernels {
  /** The exact L1 distance transform, in place, of the w x h u16 window at byte offset `at`. */
  distanceTransform(at: number, w: number, h: number): void
  /** Ink the first n pixels of `list` and lower the reference errors; returns how many were new (now first in `list`). */
  addPixels(n: number): number
  /** The drawing in the window (rows wy0.., columns wx0.., ww x wh) as a transform source, in `scratch`. */
  inkWindow(wy0: number, wx0: number, ww: number, wh: number): void
  /** The grid into `cellValue` and its five worst cells into `worstCells`. */
  rankCells(): void
}

interface ViewTypes {
  u8: Uint8Array
  u16: Uint16Array
  i32: Int32Array
  f64: Float64Array
}
const VIEWS = { u8: Uint8Array, u16: Uint16Array, i32: Int32Array, f64: Float64Array } as const

/** One typed view per array of the layout table, named as there. */
export type CoreArrays = { readonly [K in ArrayName]: ViewTypes[(typeof ARRAYS)[K]['type']] }

// The few WebAssembly calls used here, typed locally: the Node typings have no WebAssembly
// namespace, and the DOM's would clash in projects that include both.
interface Wasm {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
  Memory: new (descriptor: { initial: number; maximum: number }) => { buffer: ArrayBuffer }
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly

let compiled: object | null = null
function coreModule(): object {
  compiled ??= new wasm.Module(base64ToBytes(EVALUATOR_CORE_WASM))
  return compiled
}

/**
 * Cores released by evaluators that ended, kept for the next one of the same frame and sizes:
 * a new memory costs its page faults (~1.2 ms for 1.4 MB at 500 x 500), a reused one a memset.
 */
const pool = new Map<string, EvaluatorCore[]>()
const POOL_LIMIT = 2
let pooled = 0
const poolKey = (s: CoreSizes): string => `${s.width}x${s.height}:${s.refs}:${s.blocks}:${s.histLength}:${s.listLength}`

/** One evaluator's memory and the kernels that work on it. */
export class EvaluatorCore {
  /** A zeroed core for these sizes: a released one if there is one, else a new one. */
  static acquire(sizes: CoreSizes): EvaluatorCore {
    const reused = pool.get(poolKey(sizes))?.pop()
    if (!reused) return new EvaluatorCore(sizes)
    pooled--
    reused.everything.fill(0)
    return reused
  }

  /** Every array of the layout, as a typed view. */
  readonly arrays: CoreArrays
  /** Byte offset of each array, for the kernels that take a pointer. */
  readonly offsets: Readonly<Record<ArrayName, number>>
  readonly fn: Kernels
  /** Bytes of the memory (every array). */
  readonly bytes: number
  private readonly sizes: CoreSizes
  private readonly everything: Uint8Array

  constructor(sizes: CoreSizes) {
    const layout = planLayout(sizes)
    this.sizes = sizes
    this.bytes = layout.bytes
    this.offsets = layout.offsets
    const pages = Math.ceil(layout.bytes / 65536)
    const memory = new wasm.Memory({ initial: pages, maximum: pages })
    const buffer = memory.buffer
    // Touch every page now: a fresh memory is mapped lazily, and first touches during strokes
    // (a page fault each) measured up to twice the time of the stroke's own work.
    this.everything = new Uint8Array(buffer)
    this.everything.fill(0)
    const arrays: Partial<Record<ArrayName, ViewTypes[ElementType]>> = {}
    for (const name of ARRAY_NAMES) {
      arrays[name] = new VIEWS[ARRAYS[name].type](buffer, layout.offsets[name], layout.lengths[name])
    }
    this.arrays = arrays as CoreArrays
    const instance = new wasm.Instance(coreModule(), {
      env: { memory },
      [KERNEL_IMPORT_MODULE]: kernelImports(sizes, layout)
    })
    this.fn = instance.exports as Kernels
  }

  /** Give the memory back for the next evaluator of the same sizes; this core must not be used after. */
  release(): void {
    const key = poolKey(this.sizes)
    if (pooled >= POOL_LIMIT) return
    const list = pool.get(key) ?? []
    list.push(this)
    pool.set(key, list)
    pooled++
  }
}
