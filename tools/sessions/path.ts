// Polylines measured by arc length: densified, and cut into pieces the way a drawing is made of
// strokes.
import type { Point } from './raster.ts'

/** Cumulative arc length at each vertex (starts at 0). */
export function arcLengths(path: readonly Point[]): number[] {
  const out = [0]
  for (let i = 1; i < path.length; i++)
    out.push(out[i - 1] + Math.hypot(path[i].x - path[i - 1].x, path[i].y - path[i - 1].y))
  return out
}

/** The same polyline with extra vertices so no segment is longer than `spacing`. */
export function densify(path: readonly Point[], spacing: number): Point[] {
  const out: Point[] = path.length ? [path[0]] : []
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1],
      b = path[i]
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / spacing))
    for (let k = 1; k <= n; k++) out.push({ x: a.x + ((b.x - a.x) * k) / n, y: a.y + ((b.y - a.y) * k) / n })
  }
  return out
}

/** The part of the polyline between arc lengths `from` and `to` (clamped), ends interpolated. */
export function slice(path: readonly Point[], from: number, to: number): Point[] {
  const at = arcLengths(path)
  const total = at[at.length - 1]
  const s0 = Math.max(0, Math.min(from, total)),
    s1 = Math.max(s0, Math.min(to, total))
  const pointAt = (s: number): Point => {
    let i = 1
    while (i < at.length - 1 && at[i] < s) i++
    const span = at[i] - at[i - 1]
    const t = span > 0 ? (s - at[i - 1]) / span : 0
    return { x: path[i - 1].x + (path[i].x - path[i - 1].x) * t, y: path[i - 1].y + (path[i].y - path[i - 1].y) * t }
  }
  const out = [pointAt(s0)]
  for (let i = 0; i < path.length; i++) if (at[i] > s0 && at[i] < s1) out.push(path[i])
  out.push(pointAt(s1))
  return out
}

/** `pieces` consecutive parts of equal length; each starts where the one before ended. */
export function cut(path: readonly Point[], pieces: number): Point[][] {
  const at = arcLengths(path)
  const total = at[at.length - 1]
  const out: Point[][] = []
  for (let k = 0; k < pieces; k++) out.push(slice(path, (total * k) / pieces, (total * (k + 1)) / pieces))
  return out
}
