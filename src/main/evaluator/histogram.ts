// Counts of integer error values with a coarse level on top, so the largest values (for the
// spec's topError) are found without walking thousands of empty bins.

/** log2 of the values per coarse bin (64). */
export const HIST_SHIFT = 6
const SHIFT = HIST_SHIFT

export class ErrorHistogram {
  readonly fine: Int32Array
  readonly coarse: Int32Array
  count = 0
  sum = 0

  constructor(maxValue: number) {
    this.fine = new Int32Array(maxValue + 1)
    this.coarse = new Int32Array((maxValue >> SHIFT) + 1)
  }

  add(value: number): void {
    this.fine[value]++
    this.coarse[value >> SHIFT]++
    this.count++
    this.sum += value
  }

  remove(value: number): void {
    this.fine[value]--
    this.coarse[value >> SHIFT]--
    this.count--
    this.sum -= value
  }

  clear(): void {
    this.fine.fill(0)
    this.coarse.fill(0)
    this.count = 0
    this.sum = 0
  }

  /** Number of values <= limit. */
  countAtMost(limit: number): number {
    let n = 0
    const top = Math.min(limit, this.fine.length - 1)
    const fullBins = (top + 1) >> SHIFT
    for (let b = 0; b < fullBins; b++) n += this.coarse[b]
    for (let v = fullBins << SHIFT; v <= top; v++) n += this.fine[v]
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
      const lo = b << SHIFT
      for (let v = Math.min(this.fine.length - 1, lo + (1 << SHIFT) - 1); v >= lo && n < k; v--) {
        for (let c = this.fine[v]; c > 0 && n < k; c--) out[n++] = v
      }
    }
    return n
  }
}
