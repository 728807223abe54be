// Replaying an attempt from its journal: a timeline that says where a replay is at a given time.
// The drawing after each entry is the shared model's (journalHistories of src/shared/edit-history,
// the same fold the main side resumes an attempt with), so replay cannot drift from what the
// studio did.
import type { JournalEntry } from '#shared/contract/history.ts'
import type { Stroke } from '#shared/stroke/types.ts'

/** Pace of a replay at 1x. Strokes take the time they took to draw (their points' timestamps). */
export const PACE = {
  /** Undo, redo and clear are shown for this long before they apply. */
  editMs: 450,
  /** A rest after every entry, so strokes drawn back to back read as separate. */
  restMs: 200,
  /** A stroke longer than this (the pen held still) is replayed in this time. */
  maxStrokeMs: 8000
} as const

export interface Timeline {
  /** starts[k]: when entry k begins (ms at 1x); starts[n] is the total length. */
  starts: number[]
  /** applyAt[k]: when entry k has been applied (a stroke fully drawn, an edit done). */
  applyAt: number[]
}

/** A stroke's own duration: its last point's time since its first, within [0, maxStrokeMs]. */
export function strokeDuration(stroke: Stroke): number {
  const pts = stroke.points
  if (pts.length < 2) return 0
  const d = pts[pts.length - 1].t - pts[0].t
  return Number.isFinite(d) ? Math.min(PACE.maxStrokeMs, Math.max(0, d)) : 0
}

export function buildTimeline(entries: readonly JournalEntry[]): Timeline {
  const starts: number[] = []
  const applyAt: number[] = []
  let t = 0
  for (const entry of entries) {
    starts.push(t)
    const lead = entry.op.kind === 'stroke' ? strokeDuration(entry.op.stroke) : PACE.editMs
    applyAt.push(t + lead)
    t += lead + PACE.restMs
  }
  starts.push(t)
  return { starts, applyAt }
}

export interface ReplayPosition {
  /** Entries fully applied. */
  step: number
  /** While entry `step` is a stroke being drawn: how many of its points are shown (>= 1); else null. */
  points: number | null
}

/** Where a replay is at time t (ms at 1x, clamped to the timeline). */
export function positionAt(entries: readonly JournalEntry[], timeline: Timeline, t: number): ReplayPosition {
  const n = entries.length
  if (n === 0 || t >= timeline.starts[n]) return { step: n, points: null }
  const time = Math.max(0, t)
  // The last entry that has started by `time` (binary search: starts is increasing).
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (timeline.starts[mid] <= time) lo = mid
    else hi = mid - 1
  }
  const k = lo
  if (time >= timeline.applyAt[k]) return { step: k + 1, points: null }
  const op = entries[k].op
  if (op.kind !== 'stroke') return { step: k, points: null }
  const pts = op.stroke.points
  const elapsed = time - timeline.starts[k]
  const t0 = pts[0]?.t ?? 0
  let shown = 1
  while (shown < pts.length && pts[shown].t - t0 <= elapsed) shown++
  return { step: k, points: shown }
}

/** The stroke in progress at a position, as the painter's live stroke; null between entries. */
export function liveStroke(entries: readonly JournalEntry[], position: ReplayPosition): Stroke | null {
  if (position.points === null) return null
  const op = entries[position.step]?.op
  if (!op || op.kind !== 'stroke') return null
  return { ...op.stroke, points: op.stroke.points.slice(0, position.points) }
}

export const SPEEDS = [0.5, 1, 2, 4, 8] as const
export type Speed = (typeof SPEEDS)[number]
