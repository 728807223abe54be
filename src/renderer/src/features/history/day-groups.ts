// The history list's layout: attempts (newest first, as listAttempts pages them) grouped by the
// calendar day they were started on, in the user's time zone, and within a day by reference.
// Pure: the time zone and "now" are arguments, so tests can pin both.
import type { AttemptSummary } from '#shared/contract/history.ts'

export interface ReferenceGroup<T extends AttemptSummary = AttemptSummary> {
  referenceId: string
  referenceName: string
  /** Newest first. */
  items: T[]
}

export interface DayGroup<T extends AttemptSummary = AttemptSummary> {
  /** "2025-03-04": the calendar day in the time zone. */
  day: string
  /** "Today", "Yesterday", or the date in words. */
  label: string
  /** In the order of each reference's newest attempt that day. */
  references: ReferenceGroup<T>[]
  count: number
}

const keyFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar day ("YYYY-MM-DD") an instant falls on in a time zone (IANA name). */
export function dayKey(iso: string | Date, timeZone: string): string {
  let format = keyFormats.get(timeZone)
  if (!format) {
    // en-CA formats a date as YYYY-MM-DD; the parts are read anyway, not the string.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    keyFormats.set(timeZone, format)
  }
  const parts = format.formatToParts(typeof iso === 'string' ? new Date(iso) : iso)
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? ''
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** The day before a "YYYY-MM-DD" day (calendar arithmetic, no time zone involved). */
export function previousDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d - 1))
  return date.toISOString().slice(0, 10)
}

/** "Today", "Yesterday", or e.g. "Tuesday 4 March 2025" (the year left out for this year). */
export function dayLabel(day: string, now: Date, timeZone: string, locale?: string): string {
  const today = dayKey(now, timeZone)
  if (day === today) return 'Today'
  if (day === previousDay(today)) return 'Yesterday'
  const [y, m, d] = day.split('-').map(Number)
  // Noon UTC of that calendar day, shown in UTC: the same calendar day whatever the zone.
  const noon = new Date(Date.UTC(y, m - 1, d, 12))
  return labelFormat(locale, today.slice(0, 4) !== day.slice(0, 4)).format(noon)
}

const labelFormats = new Map<string, Intl.DateTimeFormat>()
function labelFormat(locale: string | undefined, withYear: boolean): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${withYear}`
  let f = labelFormats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      ...(withYear ? { year: 'numeric' } : {})
    })
    labelFormats.set(key, f)
  }
  return f
}

/** Group a newest-first list by start day, then by reference within the day. */
export function groupByDay<T extends AttemptSummary>(
  items: readonly T[],
  options: { timeZone: string; now: Date; locale?: string }
): DayGroup<T>[] {
  const label = (day: string): string => dayLabel(day, options.now, options.timeZone, options.locale)
  const days: DayGroup<T>[] = []
  const byDay = new Map<string, { group: DayGroup<T>; refs: Map<string, ReferenceGroup<T>> }>()
  for (const item of items) {
    const day = dayKey(item.startedAt, options.timeZone)
    let entry = byDay.get(day)
    if (!entry) {
      entry = { group: { day, label: label(day), references: [], count: 0 }, refs: new Map() }
      byDay.set(day, entry)
      days.push(entry.group)
    }
    let ref = entry.refs.get(item.referenceId)
    if (!ref) {
      ref = { referenceId: item.referenceId, referenceName: item.referenceName, items: [] }
      entry.refs.set(item.referenceId, ref)
      entry.group.references.push(ref)
    }
    ref.items.push(item)
    entry.group.count++
  }
  // Pages come newest first, but keep days in order even if a caller's list is not.
  return days.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0))
}

/** The list's sort order (listAttempts: started_at DESC, id DESC): negative when a comes first. */
export function newestFirst(a: AttemptSummary, b: AttemptSummary): number {
  const ta = Date.parse(a.startedAt)
  const tb = Date.parse(b.startedAt)
  if (ta !== tb) return tb - ta
  return a.attemptId < b.attemptId ? 1 : a.attemptId > b.attemptId ? -1 : 0
}

/** Add a fetched page to the loaded items: duplicates dropped, the list's order kept. */
export function mergePage<T extends AttemptSummary>(items: readonly T[], page: readonly T[]): T[] {
  const seen = new Set(items.map((i) => i.attemptId))
  const added = page.filter((i) => !seen.has(i.attemptId))
  if (added.length === 0) return [...items]
  return [...items, ...added].sort(newestFirst)
}

/**
 * Which page to fetch for "show more": the one holding the next unseen item, counted from how
 * many are loaded (a delete or restore shifts the pages; mergePage drops the overlap).
 */
export function nextPageIndex(loaded: number, pageSize: number): number {
  return Math.floor(loaded / pageSize)
}
