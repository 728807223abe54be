// The attempt's drawing time: starts at the first stroke, pauses while the window is hidden.
// Pure: the caller passes the time (performance.now()), so tests need no real clock.

export interface Clock {
  /** Time counted before the current run. */
  readonly elapsed: number
  /** When the current run began, or null while stopped or paused. */
  readonly runningSince: number | null
  readonly started: boolean
}

export const STOPPED: Clock = Object.freeze({ elapsed: 0, runningSince: null, started: false })

/**
 * Start at the first stroke (from the time already drawn, for a resumed attempt); later strokes
 * change nothing. Paused clocks stay paused (hidden window).
 */
export function startClock(clock: Clock, now: number, visible: boolean): Clock {
  if (clock.started) return clock
  return { elapsed: clock.elapsed, runningSince: visible ? now : null, started: true }
}

export function pauseClock(clock: Clock, now: number): Clock {
  if (clock.runningSince === null) return clock
  return { elapsed: clock.elapsed + Math.max(0, now - clock.runningSince), runningSince: null, started: true }
}

export function resumeClock(clock: Clock, now: number): Clock {
  if (!clock.started || clock.runningSince !== null) return clock
  return { elapsed: clock.elapsed, runningSince: now, started: true }
}

export function elapsedMs(clock: Clock, now: number): number {
  return clock.elapsed + (clock.runningSince === null ? 0 : Math.max(0, now - clock.runningSince))
}

/** 75_000 -> "1:15"; an hour and more -> "1:02:03". */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}
