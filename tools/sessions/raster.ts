// Paths to pixels: a round brush of a given thickness dragged along a polyline, clipped to the
// frame. The same rule draws the reference, the copy's strokes and the eraser's swipes.

export interface Point {
  x: number
  y: number
}

/**
 * Offsets of a round brush `thickness` pixels across. Odd thicknesses centre the disc on a pixel,
 * even ones on a pixel corner, so thickness t is t pixels wide along both axes.
 */
export function brushOffsets(thickness: number): Point[] {
  const lo = -Math.floor(thickness / 2)
  const centre = thickness % 2 === 0 ? 0.5 : 0
  const r2 = (thickness / 2) ** 2
  const out: Point[] = []
  for (let dy = lo; dy < lo + thickness; dy++)
    for (let dx = lo; dx < lo + thickness; dx++)
      if ((dx + centre) ** 2 + (dy + centre) ** 2 <= r2) out.push({ x: dx, y: dy })
  return out
}

/**
 * The pixels (row-major indices) the brush covers along the path, each once, in the order the
 * brush first reaches them (as a pen lays them down). Segments are walked in steps of at most
 * one pixel along either axis, so the line has no gaps.
 */
export function stampPath(path: readonly Point[], brush: readonly Point[], width: number, height: number): number[] {
  const seen = new Set<number>()
  const out: number[] = []
  const stamp = (cx: number, cy: number): void => {
    for (const o of brush) {
      const x = cx + o.x,
        y = cy + o.y
      if (x < 0 || y < 0 || x >= width || y >= height) continue
      const p = y * width + x
      if (!seen.has(p)) {
        seen.add(p)
        out.push(p)
      }
    }
  }
  if (path.length === 1) stamp(Math.round(path[0].x), Math.round(path[0].y))
  for (let i = 1; i < path.length; i++) {
    const a = path[i - 1],
      b = path[i]
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y))))
    // The first step of a segment is the last of the one before: start at 1 after the first.
    for (let s = i === 1 ? 0 : 1; s <= steps; s++) {
      const t = s / steps
      stamp(Math.round(a.x + (b.x - a.x) * t), Math.round(a.y + (b.y - a.y) * t))
    }
  }
  return out
}
