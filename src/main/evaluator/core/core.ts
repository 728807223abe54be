// The evaluator's memory: every array of one evaluator lives in one WebAssembly memory, laid out
// here, so the hot loops (evaluator-core.wat) and the rest (streaming-evaluator.ts) work on the
// same data without copying. Typed-array views are made once; the memory never grows.
import { base64ToBytes } from '#shared/base64.ts'
import { EVALUATOR_CORE_WASM } from './evaluator-core-wasm.ts'
import { HIST_SHIFT } from './histogram.ts'

export const CELLS = 100
/** Byte offsets of the header's i32 slots, f64 slots and output slots (see the .wat file). */
const HEADER_BYTES = 512
const F64_AT = 256
const OUT_AT = 128

/** The f64 slots: sums and counters kept by both sides. */
export const STAT = {
  drawCount: 0,
  drawSum: 1,
  refCount: 2,
  refSum: 3,
  visited: 4,
  tests: 5,
  examined: 6,
  changes: 7
} as const

interface CoreExports {
  dt(ptr: number, w: number, h: number): void
  addInk(list: number, n: number): number
  lowerErrors(list: number, n: number, y0: number, y1: number, x0: number, x1: number): void
  inkWindow(dst: number, wy0: number, wx0: number, ww: number, wh: number): void
}

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

export interface CoreSizes {
  width: number
  height: number
  refs: number
  blocks: number
  /** Largest error value + 1 (histogram length). */
  histLength: number
  /** Pixels one addInk call takes at most. */
  listLength: number
}

/**
 * Cores released by evaluators that ended, kept for the next one of the same frame and sizes:
 * a new memory costs its page faults (~1.2 ms for 1.4 MB at 500 x 500), a reused one a memset.
 */
const pool = new Map<string, EvaluatorCore[]>()
const POOL_LIMIT = 2
let pooled = 0
const poolKey = (s: CoreSizes): string => `${s.width}x${s.height}:${s.refs}:${s.blocks}:${s.histLength}:${s.listLength}`

/** One evaluator's memory and the WebAssembly functions that work on it. */
export class EvaluatorCore {
  /** A zeroed core for these sizes: a released one if there is one, else a new one. */
  static acquire(sizes: CoreSizes): EvaluatorCore {
    const reused = pool.get(poolKey(sizes))?.pop()
    if (!reused) return new EvaluatorCore(sizes)
    pooled--
    reused.clear()
    return reused
  }

  readonly refDist: Uint16Array
  readonly ink: Uint8Array
  readonly rowCell: Uint8Array
  readonly colCell: Uint8Array
  readonly refYX: Int32Array
  readonly refErr: Int32Array
  readonly blockStart: Int32Array
  readonly blockY0: Int32Array
  readonly blockY1: Int32Array
  readonly blockX0: Int32Array
  readonly blockX1: Int32Array
  readonly blockMax: Int32Array
  readonly cellBlockStart: Int32Array
  readonly cellY0: Int32Array
  readonly cellY1: Int32Array
  readonly cellX0: Int32Array
  readonly cellX1: Int32Array
  readonly cellMaxR: Int32Array
  readonly cellMaxD: Int32Array
  readonly refFine: Int32Array
  readonly refCoarse: Int32Array
  readonly drawFine: Int32Array
  readonly drawCoarse: Int32Array
  /** A distance-transform window as large as the frame. */
  readonly scratch: Uint16Array
  readonly list: Int32Array
  readonly stats: Float64Array
  /** The bounding box of the last addInk: y0, y1, x0, x1. */
  readonly box: Int32Array
  readonly fn: CoreExports
  readonly bytes: number

  /** Byte offsets, for the calls that take a pointer. */
  readonly at: { refDist: number; scratch: number; list: number }
  private readonly sizes: CoreSizes
  private readonly header: Int32Array
  /** The header's slots as laid out (restored when the core is reused). */
  private readonly layout: Int32Array
  private readonly everything: Uint8Array

  constructor(sizes: CoreSizes) {
    const { width, height, refs, blocks, histLength, listLength } = sizes
    const n = width * height
    const coarseLength = (histLength >> HIST_SHIFT) + 1
    // [header slot, element bytes, length] in header-slot order.
    const plan: [number, number, number][] = [
      [2, 2, n],
      [3, 1, n],
      [4, 1, height],
      [5, 1, width],
      [6, 4, refs],
      [7, 4, refs],
      [8, 4, blocks + 1],
      [9, 4, blocks],
      [10, 4, blocks],
      [11, 4, blocks],
      [12, 4, blocks],
      [13, 4, blocks],
      [14, 4, CELLS + 1],
      [15, 4, CELLS],
      [16, 4, CELLS],
      [17, 4, CELLS],
      [18, 4, CELLS],
      [19, 4, CELLS],
      [20, 4, CELLS],
      [21, 4, histLength],
      [22, 4, coarseLength],
      [23, 4, histLength],
      [24, 4, coarseLength],
      [25, 2, n],
      [26, 4, listLength]
    ]
    const offsets: number[] = []
    let end = HEADER_BYTES
    for (const [slot, size, length] of plan) {
      offsets[slot] = end
      end += Math.ceil((size * length) / 8) * 8
    }
    this.bytes = end
    const memory = new wasm.Memory({ initial: Math.ceil(end / 65536), maximum: Math.ceil(end / 65536) })
    const buffer = memory.buffer
    // Touch every page now: a fresh memory is mapped lazily, and first touches during strokes
    // (a page fault each) measured up to twice the time of the stroke's own work.
    this.everything = new Uint8Array(buffer)
    this.everything.fill(0)
    this.sizes = sizes
    this.header = new Int32Array(buffer, 0, 64)
    this.layout = Int32Array.from(this.header)
    this.layout[0] = width
    this.layout[1] = height
    for (const [slot] of plan) this.layout[slot] = offsets[slot]
    this.header.set(this.layout)
    const instance = new wasm.Instance(coreModule(), { env: { memory } })
    this.fn = instance.exports as unknown as CoreExports
    const u16 = (slot: number, length: number): Uint16Array => new Uint16Array(buffer, offsets[slot], length)
    const i32 = (slot: number, length: number): Int32Array => new Int32Array(buffer, offsets[slot], length)
    const u8 = (slot: number, length: number): Uint8Array => new Uint8Array(buffer, offsets[slot], length)
    this.refDist = u16(2, n)
    this.ink = u8(3, n)
    this.rowCell = u8(4, height)
    this.colCell = u8(5, width)
    this.refYX = i32(6, refs)
    this.refErr = i32(7, refs)
    this.blockStart = i32(8, blocks + 1)
    this.blockY0 = i32(9, blocks)
    this.blockY1 = i32(10, blocks)
    this.blockX0 = i32(11, blocks)
    this.blockX1 = i32(12, blocks)
    this.blockMax = i32(13, blocks)
    this.cellBlockStart = i32(14, CELLS + 1)
    this.cellY0 = i32(15, CELLS)
    this.cellY1 = i32(16, CELLS)
    this.cellX0 = i32(17, CELLS)
    this.cellX1 = i32(18, CELLS)
    this.cellMaxR = i32(19, CELLS)
    this.cellMaxD = i32(20, CELLS)
    this.refFine = i32(21, histLength)
    this.refCoarse = i32(22, coarseLength)
    this.drawFine = i32(23, histLength)
    this.drawCoarse = i32(24, coarseLength)
    this.scratch = u16(25, n)
    this.list = i32(26, listLength)
    this.stats = new Float64Array(buffer, F64_AT, 8)
    this.box = new Int32Array(buffer, OUT_AT, 4)
    this.at = { refDist: offsets[2], scratch: offsets[25], list: offsets[26] }
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

  /** All zero again, the header as laid out. */
  private clear(): void {
    this.everything.fill(0)
    this.header.set(this.layout)
  }
}
