// A session drawing's countdown: how long it runs, how much of it has gone, and whether it is
// running (paused, it keeps what has gone). Pure values; `now` comes from the caller.

export interface Countdown {
  durationMs: number
  /** Time gone while running, up to `runningSince`. */
  goneMs: number
  runningSince: number | null
}

export const countdown = (durationMs: number, now: number): Countdown => ({ durationMs, goneMs: 0, runningSince: now })

export const gone = (c: Countdown, now: number): number =>
  c.goneMs + (c.runningSince === null ? 0 : Math.max(0, now - c.runningSince))

/** What is left, never below 0. */
export const remaining = (c: Countdown, now: number): number => Math.max(0, c.durationMs - gone(c, now))

export const pause = (c: Countdown, now: number): Countdown =>
  c.runningSince === null ? c : { ...c, goneMs: gone(c, now), runningSince: null }

export const resume = (c: Countdown, now: number): Countdown =>
  c.runningSince === null ? { ...c, runningSince: now } : c

/** More time for this drawing. */
export const extend = (c: Countdown, ms: number): Countdown => ({ ...c, durationMs: c.durationMs + ms })

/** m:ss, rounded up: a countdown shows 0:01 until the last instant. */
export function formatRemaining(ms: number): string {
  const s = Math.ceil(ms / 1000)
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
