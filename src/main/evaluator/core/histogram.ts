// Counts of integer error values: one bin per value, with the count and the sum. The arrays live
// in the evaluator's WebAssembly memory, where the kernels update them too. The largest values
// (for the spec's topError) are found by walking down from an upper bound the caller knows (the
// largest cell maximum), so no coarser level has to be kept up to date on every change.

export class ErrorHistogram {
  readonly bins: Int32Array
  private readonly total: Float64Array
  private readonly valueSum: Float64Array

  /** `bins` has one bin per value; `count` and `sum` hold one number each. */
  constructor(bins: Int32Array, count: Float64Array, sum: Float64Array) {
    this.bins = bins
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
    this.bins[value]++
    this.total[0]++
    this.valueSum[0] += value
  }

  remove(value: number): void {
    this.bins[value]--
    this.total[0]--
    this.valueSum[0] -= value
  }

  clear(): void {
    this.bins.fill(0)
    this.total[0] = 0
    this.valueSum[0] = 0
  }

  /** Number of values <= limit. */
  countAtMost(limit: number): number {
    let n = 0
    const top = Math.min(limit, this.bins.length - 1)
    for (let v = 0; v <= top; v++) n += this.bins[v]
    return n
  }

  /**
   * Write the `k` largest values, largest first, into `out` (a k-length scratch); returns how
   * many there were (fewer than k when the histogram holds fewer values). `atMost` must be at
   * least the largest value held.
   */
  largest(k: number, out: Int32Array, atMost: number): number {
    let n = 0
    for (let v = Math.min(atMost, this.bins.length - 1); v >= 0 && n < k; v--) {
      for (let c = this.bins[v]; c > 0 && n < k; c--) out[n++] = v
    }
    return n
  }
}
