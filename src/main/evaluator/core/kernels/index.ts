// The evaluator's kernels: the hot loops of streaming-evaluator.ts, compiled to WebAssembly. They
// work on the evaluator's memory as ../layout.ts lays it out (through ./layout.ts, generated from
// it) and keep no memory, data or state of their own between calls.
export { addPixels } from './add'
export { distanceTransform } from './distance-transform'
export { rankCells } from './grid'
export { inkWindow } from './ink-window'
