// How the history shows its figures: scores with one decimal (or an explicit "no score"), times
// of day and drawing durations.
import { formatDuration } from '#renderer/drawing/clock.ts'

/** top5Error with one decimal and a % sign; an attempt without a score says so. */
export function formatScore(top5Error: number | null): string {
  return top5Error === null ? 'no score' : `${top5Error.toFixed(1)} %`
}

const formats = new Map<string, Intl.DateTimeFormat>()
/** Making an Intl.DateTimeFormat costs far more than using one: one per (kind, zone, locale). */
function cached(
  kind: string,
  timeZone: string,
  locale: string | undefined,
  options: Intl.DateTimeFormatOptions
): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}|${locale ?? ''}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone, ...options })
    formats.set(key, f)
  }
  return f
}

/** "14:05" in the time zone (24 h or 12 h as the locale has it). */
export function formatTime(iso: string, timeZone: string, locale?: string): string {
  return cached('time', timeZone, locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso))
}

/** "12 Mar 2025, 14:05" for the details header and chart tooltips. */
export function formatDateTime(iso: string | number, timeZone: string, locale?: string): string {
  return cached('datetime', timeZone, locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit'
  }).format(new Date(iso))
}

/** Active drawing time, "m:ss" or "h:mm:ss". */
export const formatActive = (ms: number): string => formatDuration(ms)

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

let zone: string | null = null
/** The user's time zone as the browser knows it (asked once: resolving it is slow). */
export function localTimeZone(): string {
  zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  return zone
}
