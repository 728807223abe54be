// The evaluator's memory, defined once. Every array of one evaluator lives in one WebAssembly
// memory shared by the TypeScript side (typed-array views, core.ts) and the AssemblyScript kernels
// (kernels/). This table names each array, its element type and its length from the evaluator's
// sizes; offsets follow in table order. `npm run build:wasm` turns the table and the constants
// below into kernels/layout.ts, and the kernels receive each array's offset as an import when an
// evaluator's memory is made: nothing about the layout is written anywhere else.
import { GRID } from '#shared/contract/scores.ts'

/** Cells of the spec's 10 x 10 grid, row-major (a multiple of 4: the kernels take them four at a time). */
export const CELLS = GRID * GRID
/** A reference pixel is packed as (y << YX_SHIFT) | x: frame sides are at most 4096 = 1 << 12. */
export const YX_SHIFT = 12
export const YX_MASK = (1 << YX_SHIFT) - 1
/** The error of a reference pixel while the drawing is empty, and "no source" in a distance transform. */
export const FAR = 0xffff

/** The constants the kernels are compiled with (as i32 constants of the same names). */
export const KERNEL_CONSTANTS = { GRID, CELLS, YX_SHIFT, YX_MASK, FAR } as const

export interface CoreSizes {
  width: number
  height: number
  /** Reference pixels. */
  refs: number
  /** Reference blocks. */
  blocks: number
  /** Largest error value + 1 (histogram length). */
  histLength: number
  /** Pixels one addPixels call takes at most. */
  listLength: number
}

/** The sizes the kernels are given (as i32 imports of the same names). */
export const KERNEL_SIZES = ['width', 'height'] as const satisfies readonly (keyof CoreSizes)[]

/** Element types, named as in AssemblyScript. */
export type ElementType = 'u8' | 'u16' | 'i32' | 'f64'

export interface ArraySpec {
  readonly type: ElementType
  readonly length: (s: CoreSizes) => number
  /** What it holds (also the comment on the kernels' side). */
  readonly about: string
}

const frame = (s: CoreSizes): number => s.width * s.height
const refs = (s: CoreSizes): number => s.refs
const blocks = (s: CoreSizes): number => s.blocks
const cells = (): number => CELLS
const hist = (s: CoreSizes): number => s.histLength
const one = (): number => 1

export const ARRAYS = {
  // Sums and counters, kept by both sides (one-element arrays).
  drawCount: { type: 'f64', length: one, about: '|D|, as the drawing histogram counts it' },
  drawSum: { type: 'f64', length: one, about: 'sum of e(d) over D' },
  refCount: { type: 'f64', length: one, about: 'reference pixels with a finite error' },
  refSum: { type: 'f64', length: one, about: 'sum of the finite e(r)' },
  visited: { type: 'f64', length: one, about: 'work counter: frame cells visited by distance transforms' },
  tests: { type: 'f64', length: one, about: 'work counter: reference pixels whose error was tested' },
  examined: { type: 'f64', length: one, about: 'work counter: reference blocks examined' },
  changes: { type: 'f64', length: one, about: 'work counter: reference pixels whose error changed' },
  // The frame.
  refDist: { type: 'u16', length: frame, about: 'dist(p, R) for every frame pixel p' },
  ink: { type: 'u8', length: frame, about: 'the drawing: 1 = ink' },
  rowCell: { type: 'u8', length: (s) => s.height, about: 'grid row of each frame row' },
  colCell: { type: 'u8', length: (s) => s.width, about: 'grid column of each frame column' },
  // Reference pixels, grouped by block, blocks by cell.
  refYX: { type: 'i32', length: refs, about: 'each reference pixel as (y << YX_SHIFT) | x' },
  refErr: { type: 'i32', length: refs, about: 'e(r) = dist(r, D) of each reference pixel (FAR while D is empty)' },
  blockStart: { type: 'i32', length: (s) => s.blocks + 1, about: "a block's first reference pixel, then the count" },
  blockY0: { type: 'i32', length: blocks, about: "a block's bounding box: first row" },
  blockY1: { type: 'i32', length: blocks, about: "a block's bounding box: last row" },
  blockX0: { type: 'i32', length: blocks, about: "a block's bounding box: first column" },
  blockX1: { type: 'i32', length: blocks, about: "a block's bounding box: last column" },
  blockMax: { type: 'i32', length: blocks, about: 'the largest e(r) in a block' },
  cellBlockStart: { type: 'i32', length: () => CELLS + 1, about: "a cell's first block, then the count" },
  cellY0: { type: 'i32', length: cells, about: "bounding box of a cell's reference pixels: first row" },
  cellY1: { type: 'i32', length: cells, about: "bounding box of a cell's reference pixels: last row" },
  cellX0: { type: 'i32', length: cells, about: "bounding box of a cell's reference pixels: first column" },
  cellX1: { type: 'i32', length: cells, about: "bounding box of a cell's reference pixels: last column" },
  cellMaxR: { type: 'i32', length: cells, about: 'the largest e(r) in a cell' },
  cellMaxD: { type: 'i32', length: cells, about: 'the largest e(d) in a cell' },
  cellValue: { type: 'i32', length: cells, about: "the spec's grid: each cell's larger maximum (rankCells)" },
  worstCells: { type: 'i32', length: () => 5, about: 'the five worst cells, worst first (rankCells)' },
  // Error histograms: one bin per value.
  refHist: { type: 'i32', length: hist, about: 'count of each finite e(r) value' },
  drawHist: { type: 'i32', length: hist, about: 'count of each e(d) value' },
  // Work space.
  scratch: { type: 'u16', length: frame, about: 'a distance-transform window as large as the frame' },
  list: { type: 'i32', length: (s) => s.listLength, about: 'the pixels handed to one addPixels call' }
} as const satisfies Record<string, ArraySpec>

export type ArrayName = keyof typeof ARRAYS
export const ARRAY_NAMES = Object.keys(ARRAYS) as ArrayName[]

export const ELEMENT_BYTES: Record<ElementType, number> = { u8: 1, u16: 2, i32: 4, f64: 8 }
/** Every array starts on this boundary (the widest element, and a whole SIMD vector). */
const ALIGN = 16
/**
 * The kernels read and write 16-byte vectors that may run up to 12 bytes past an array's end
 * (lanes they mask out and write back unchanged): the memory ends at least that far after the
 * last array.
 */
const VECTOR_SLACK = 16

export interface Layout {
  /** Byte offset of each array. */
  offsets: Record<ArrayName, number>
  lengths: Record<ArrayName, number>
  /** Bytes of the whole memory (every array). */
  bytes: number
}

/** Where each array goes for these sizes: one after the other, in table order, aligned. */
export function planLayout(sizes: CoreSizes): Layout {
  const offsets = {} as Record<ArrayName, number>
  const lengths = {} as Record<ArrayName, number>
  let end = 0
  for (const name of ARRAY_NAMES) {
    const spec: ArraySpec = ARRAYS[name]
    const length = spec.length(sizes)
    offsets[name] = end
    lengths[name] = length
    end += Math.ceil((length * ELEMENT_BYTES[spec.type]) / ALIGN) * ALIGN
  }
  return { offsets, lengths, bytes: end + VECTOR_SLACK }
}

/**
 * How the kernels import their sizes and offsets. AssemblyScript imports what a file declares
 * from a module named after the file (kernels/layout.ts: "layout"), and a declared namespace's
 * members as "namespace.member".
 */
export const KERNEL_IMPORT_MODULE = 'layout'
export const OFFSET_NAMESPACE = 'offset'

/** The kernels' imports for one memory: each size by name, each array's offset as `offset.<name>`. */
export function kernelImports(sizes: CoreSizes, layout: Layout): Record<string, number> {
  const imports: Record<string, number> = {}
  for (const name of KERNEL_SIZES) imports[name] = sizes[name]
  for (const name of ARRAY_NAMES) imports[`${OFFSET_NAMESPACE}.${name}`] = layout.offsets[name]
  return imports
}
