// The batch kernels' memory and calls (kernels/distance.ts, compiled into kernels-wasm.ts by
// npm run build:wasm:batch): per frame size, the two distance maps and ink lists, then room for
// the bytes an image's ink is read from, grown as images need.
import { base64ToBytes } from '#shared/base64.ts'
import { BATCH_KERNELS_WASM } from './kernels-wasm.ts'

interface KernelExports {
  seedRows(
    data: number,
    offset: number,
    rowStride: number,
    pixelStride: number,
    blank: number,
    out: number,
    list: number,
    w: number,
    h: number
  ): number
  columns(out: number, w: number, h: number): void
}

// The few WebAssembly calls used here, typed locally (as in the evaluator's core.ts): the Node
// typings have no WebAssembly namespace, and the DOM's would clash.
interface WasmMemory {
  buffer: ArrayBuffer
  grow(pages: number): number
}
interface Wasm {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly

let compiled: object | null = null
const PAGE = 65536
const MAX_PAGES = 65536
/** The kernels read up to 64 bytes past the last pixel they test (whole vectors). */
const SLACK = 64

/**
 * Where a frame's ink is, without copying it out: pixel (y, x) is ink iff
 * `data[offset + y * rowStride + x * pixelStride] !== blank`.
 */
export interface InkView {
  data: Uint8Array
  offset: number
  rowStride: number
  pixelStride: number
  blank: number
}

export class DistanceKernels {
  readonly width: number
  readonly height: number
  /** dist(p, ink) of the last `transform(..., 0)` and `transform(..., 1)`. */
  distance: [Uint16Array, Uint16Array]
  /** Their ink pixels, ascending (the first `count` entries). */
  inkList: [Int32Array, Int32Array]
  private readonly memory: WasmMemory
  private readonly fn: KernelExports
  private readonly at: { distance: [number, number]; list: [number, number]; input: number }
  private input: Uint8Array
  /** The data the input region holds now (so two views of one image copy it once). */
  private loaded: Uint8Array | null = null

  constructor(width: number, height: number) {
    this.width = width
    this.height = height
    const n = width * height
    const align = (v: number): number => Math.ceil(v / 16) * 16
    const d0 = 0
    const d1 = align(d0 + 2 * n)
    const l0 = align(d1 + 2 * n)
    const l1 = align(l0 + 4 * n)
    const input = align(l1 + 4 * n)
    this.at = { distance: [d0, d1], list: [l0, l1], input }
    this.memory = new wasm.Memory({ initial: Math.ceil((input + n + SLACK) / PAGE) })
    compiled ??= new wasm.Module(base64ToBytes(BATCH_KERNELS_WASM))
    this.fn = new wasm.Instance(compiled, { env: { memory: this.memory } }).exports as KernelExports
    this.distance = [new Uint16Array(0), new Uint16Array(0)]
    this.inkList = [new Int32Array(0), new Int32Array(0)]
    this.input = new Uint8Array(0)
    this.views()
  }

  /**
   * dist(p, ink of `view`) for every pixel into distance[which], its ink pixels into
   * inkList[which]; returns the number of ink pixels (0: the distances are all "none").
   */
  transform(view: InkView, which: 0 | 1): number {
    const { width, height } = this
    const { data, offset, rowStride, pixelStride, blank } = view
    const last = offset + (height - 1) * rowStride + (width - 1) * pixelStride
    if (!(offset >= 0 && rowStride > 0 && pixelStride > 0 && last < data.length && blank >= 0 && blank <= 255))
      throw new Error(`an ink view that does not fit its ${data.length} bytes`)
    if (this.loaded !== data) {
      if (data.length > this.input.length) this.grow(data.length)
      this.input.set(data)
      this.loaded = data
    }
    const count = this.fn.seedRows(
      this.at.input,
      offset,
      rowStride,
      pixelStride,
      blank,
      this.at.distance[which],
      this.at.list[which],
      width,
      height
    )
    if (count > 0) this.fn.columns(this.at.distance[which], width, height)
    return count
  }

  /** Forget which data is loaded (the caller may change a buffer in place between images). */
  release(): void {
    this.loaded = null
  }

  private grow(bytes: number): void {
    const needed = Math.ceil((this.at.input + bytes + SLACK) / PAGE)
    const have = this.memory.buffer.byteLength / PAGE
    if (needed > MAX_PAGES) throw new Error(`an image of ${bytes} bytes is more than the batch can hold`)
    if (needed > have) this.memory.grow(needed - have)
    this.views()
  }

  /** Typed views over the memory (made again after it grows, which detaches the old ones). */
  private views(): void {
    const buffer = this.memory.buffer
    const n = this.width * this.height
    this.distance = [new Uint16Array(buffer, this.at.distance[0], n), new Uint16Array(buffer, this.at.distance[1], n)]
    this.inkList = [new Int32Array(buffer, this.at.list[0], n), new Int32Array(buffer, this.at.list[1], n)]
    this.input = new Uint8Array(buffer, this.at.input, buffer.byteLength - this.at.input - SLACK)
  }
}
