// The progress chart's series, pure: a reference's scored attempts by attempt number (1, 2, 3...:
// five attempts of one afternoon are five steps, not one vertical line) or by calendar day in the
// person's time zone (each day's mean), each with a trailing average that shows the trend.
import type { ProgressPoint } from '#shared/contract/history.ts'
import { dayKey } from './day-groups.ts'

export type ProgressAxis = 'attempt' | 'day'

/** How many points the trailing average spans. */
export const AVERAGE_OVER = 5

export interface ChartPoint {
  /** Attempt number (1-based), or days since the first day with an attempt. */
  x: number
  y: number
  /** The personal best is this attempt, or falls on this day. */
  best: boolean
  /** How many attempts the point stands for (1 by attempt; that day's number by day). */
  count: number
  /** The attempt's end (by attempt) or the day "YYYY-MM-DD" (by day). */
  when: string
}

/** The mean of each point and the ones before it, at most `window` of them. */
export function trailingAverage(values: readonly number[], window = AVERAGE_OVER): number[] {
  const out: number[] = []
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    sum += values[i]
    if (i >= window) sum -= values[i - window]
    out.push(sum / Math.min(i + 1, window))
  }
  return out
}

export function byAttempt(points: readonly ProgressPoint[]): ChartPoint[] {
  return points.map((p, i) => ({ x: i + 1, y: p.top5Error, best: p.personalBest, count: 1, when: p.endedAt }))
}

/** Whole days from one "YYYY-MM-DD" to another (calendar arithmetic). */
function daysBetween(from: string, to: string): number {
  const utc = (day: string): number => {
    const [y, m, d] = day.split('-').map(Number)
    return Date.UTC(y, m - 1, d)
  }
  return Math.round((utc(to) - utc(from)) / 86_400_000)
}

/** One point per calendar day with attempts (their mean), at its distance in days from the first. */
export function byDay(points: readonly ProgressPoint[], timeZone: string): ChartPoint[] {
  const days = new Map<string, { sum: number; count: number; best: boolean }>()
  for (const p of points) {
    const day = dayKey(p.endedAt, timeZone)
    const d = days.get(day) ?? { sum: 0, count: 0, best: false }
    d.sum += p.top5Error
    d.count++
    d.best ||= p.personalBest
    days.set(day, d)
  }
  const ordered = [...days.entries()].sort(([a], [b]) => a.localeCompare(b))
  const first = ordered[0]?.[0]
  return ordered.map(([day, d]) => ({
    x: first ? daysBetween(first, day) : 0,
    y: d.sum / d.count,
    best: d.best,
    count: d.count,
    when: day
  }))
}
