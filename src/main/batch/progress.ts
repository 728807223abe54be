// How far a batch has got, for a person watching: on a terminal one line redrawn in place (a bar,
// counts, rate, time left), elsewhere (a log, a pipe) a plain line at every tenth of the way.

export interface ProgressState {
  done: number
  total: number
  skipped: number
  elapsedMs: number
}

/** The terminal line: `[########------------]  120/300  3 skipped  41.2/s  4 s left`. */
export function progressBar(s: ProgressState, width = 24): string {
  const share = s.total === 0 ? 1 : s.done / s.total
  const filled = Math.round(share * width)
  const rate = s.elapsedMs > 0 ? (s.done / s.elapsedMs) * 1000 : 0
  const left = rate > 0 ? Math.ceil((s.total - s.done) / rate) : null
  const parts = [
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`,
    `${String(s.done).padStart(String(s.total).length)}/${s.total}`
  ]
  if (s.skipped > 0) parts.push(`${s.skipped} skipped`)
  if (rate > 0) parts.push(`${rate.toFixed(1)}/s`)
  if (left !== null && s.done < s.total) parts.push(`${left} s left`)
  return parts.join('  ')
}

/** The plain line for logs. */
export function progressLine(s: ProgressState): string {
  const pct = s.total === 0 ? 100 : Math.floor((s.done / s.total) * 100)
  return `scored ${s.done} of ${s.total} (${pct} %)${s.skipped > 0 ? `, ${s.skipped} skipped` : ''}`
}

export interface ProgressSink {
  /** Is it a terminal (redraw in place) or a log (plain lines)? */
  isTTY: boolean
  write(text: string): void
}

export class Progress {
  private done = 0
  private skipped = 0
  private lastDraw = -Infinity
  private lastTenth = 0
  private readonly started = performance.now()
  private readonly sink: ProgressSink
  private readonly total: number

  constructor(sink: ProgressSink, total: number) {
    this.sink = sink
    this.total = total
  }

  tick(ok: boolean): void {
    this.done++
    if (!ok) this.skipped++
    const state = this.state()
    if (this.sink.isTTY) {
      // At most ten redraws a second, and always the last one.
      const now = performance.now()
      if (now - this.lastDraw < 100 && this.done < this.total) return
      this.lastDraw = now
      this.sink.write(`\r${progressBar(state)}\x1b[K`)
    } else {
      const tenth = Math.floor((this.done / this.total) * 10)
      if (tenth > this.lastTenth) {
        this.lastTenth = tenth
        this.sink.write(progressLine(state) + '\n')
      }
    }
  }

  /** Leave the terminal on a fresh line. */
  end(): void {
    if (this.sink.isTTY && this.done > 0) this.sink.write('\n')
  }

  private state(): ProgressState {
    return { done: this.done, total: this.total, skipped: this.skipped, elapsedMs: performance.now() - this.started }
  }
}
