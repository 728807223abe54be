// The attempt's drawing time. It starts at the first stroke; it stops counting `idleMs` after the
// last input (a stroke's start or end, a key or click in the studio), except while the pen is
// down; it is held while the window is hidden or a dialog is open, and paused when the report
// opens, until the next input. Pure: the caller passes the time (performance.now()), so tests
// need no real clock; the status bar, the report and the history all read elapsedMs.

export interface Clock {
  readonly started: boolean
  /** Time counted before the current stretch. */
  readonly counted: number
  /** When the current stretch began; null while nothing counts (not started, paused or held). */
  readonly since: number | null
  /** The last input: a stretch counts up to idleMs after it, unless the pen is down. */
  readonly lastInput: number
  readonly penDown: boolean
  /** Held while the window is hidden. */
  readonly hidden: boolean
  /** Held while a dialog or the history is open. */
  readonly dialog: boolean
  /** Stop counting this long after the last input; 0: never stop. */
  readonly idleMs: number
}

export const DEFAULT_IDLE_MS = 30_000

/** A clock that has not started, with `counted` already drawn (a resumed attempt's time). */
export function stoppedClock(counted = 0, idleMs = DEFAULT_IDLE_MS): Clock {
  return Object.freeze({
    started: false,
    counted,
    since: null,
    lastInput: 0,
    penDown: false,
    hidden: false,
    dialog: false,
    idleMs
  })
}

export const STOPPED: Clock = stoppedClock()

const held = (c: Clock): boolean => c.hidden || c.dialog

export function elapsedMs(c: Clock, now: number): number {
  if (c.since === null) return c.counted
  const end = c.penDown || c.idleMs <= 0 ? now : Math.min(now, c.lastInput + c.idleMs)
  return c.counted + Math.max(0, end - c.since)
}

/** Counting now (the display ticks); it may still be about to stop for idleness. */
export const isRunning = (c: Clock): boolean => c.since !== null

/** Close the current stretch at `now` and open the next one (unless held or not started). */
function restretch(c: Clock, now: number, change: Partial<Clock>): Clock {
  const next = { ...c, ...change, counted: elapsedMs(c, now) }
  return { ...next, since: next.started && !held(next) ? now : null, lastInput: now }
}

/** The first stroke begins: the clock starts (at the time already drawn, for a resumed attempt). */
export function startClock(c: Clock, now: number): Clock {
  if (c.started) return inputAt(c, now, true)
  return restretch(c, now, { started: true, penDown: true })
}

/** Any input; `penDown` says whether the pen is now down (a stroke began or ended), else unchanged. */
export function inputAt(c: Clock, now: number, penDown?: boolean): Clock {
  return restretch(c, now, penDown === undefined ? {} : { penDown })
}

/** Stop counting until the next input (the report opened: looking at it is not drawing). */
export function pauseClock(c: Clock, now: number): Clock {
  return { ...c, counted: elapsedMs(c, now), since: null }
}

/** Hold or release for a reason; releasing the last hold counts again from `now`. */
export function holdClock(c: Clock, reason: 'hidden' | 'dialog', on: boolean, now: number): Clock {
  if (c[reason] === on) return c
  if (on) return { ...c, counted: elapsedMs(c, now), since: null, [reason]: true }
  return restretch(c, now, { [reason]: false })
}

/** A new idle pause (the setting changed); what was counted so far stays. */
export function setIdle(c: Clock, idleMs: number, now: number): Clock {
  if (c.idleMs === idleMs) return c
  const counted = elapsedMs(c, now)
  return { ...c, idleMs, counted, since: c.since === null ? null : now, lastInput: now }
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
