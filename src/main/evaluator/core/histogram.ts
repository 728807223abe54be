// Counts of integer error values with a coarse level on top, so the largest values (for the
// spec's topError) are found without walking thousands of empty bins. The arrays and the count
// and sum live in the evaluator's WebAssembly memory, where the kernels update them too.
import { HIST_SHIFT } from './layout.ts'

export class ErrorHistogram {
  readonly fine: Int32Array
  readonly coarse: Int32Array
  private readonly total: Float64Array
  private readonly valueSum: Float64Array

  /** `fine` has one bin per value, `coarse` one per 1 << HIST_SHIFT; `count` and `sum` hold one number each. */
  constructor(fine: Int32Array, coarse: Int32Array, count: Float64Array, sum: Float64Array) {
    this.fine = fine
    this.coarse = coarse
    this.total = count
    this.valueSum = sum
  }

  get count(): number {
    return this.total[0]
  }

  get sum(): number {
    return this.valueSum[0]
  }

  add(value: number): void {
    this.fine[value]++
    this.coarse[value >> HIST_SHIFT]++
    this.total[0]++
    this.valueSum[0] += value
  }

  remove(value: number): void {
    this.fine[value]--
    this.coarse[value >> HIST_SHIFT]--
    this.total[0]--
    this.valueSum[0] -= value
  }

  clear(): void {
    this.fine.fill(0)
    this.coarse.fill(0)
    this.total[0] = 0
    this.valueSum[0] = 0
  }

  /** Number of values <= limit. */
  countAtMost(limit: number): number {
    let n = 0
    const top = Math.min(limit, this.fine.length - 1)
    const fullBins = (top + 1) >> HIST_SHIFT
    for (let b = 0; b < fullBins; b++) n += this.coarse[b]
    for (let v = fullBins << HIST_SHIFT; v <= top; v++) n += this.fine[v]
    return n
  }

  /**
   * Write the `k` largest values, largest first, into `out` (a k-length scratch); returns how
   * many there were (fewer than k when the histogram holds fewer values).
   */
  largest(k: number, out: Int32Array): number {
    let n = 0
    for (let b = this.coarse.length - 1; b >= 0 && n < k; b--) {
      if (this.coarse[b] === 0) continue
      const lo = b << HIST_SHIFT
      for (let v = Math.min(this.fine.length - 1, lo + (1 << HIST_SHIFT) - 1); v >= lo && n < k; v--) {
        for (let c = this.fine[v]; c > 0 && n < k; c--) out[n++] = v
      }
    }
    return n
  }
}
