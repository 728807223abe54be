// The few shapes drills are made of, in frame pixels (x right, y down), and their raster: a pixel
// is ink when its centre (x + 0.5, y + 0.5) lies within half the width of the shape's line.

export interface Point {
  x: number
  y: number
}

export type Shape =
  | { kind: 'segment'; a: Point; b: Point; width: number }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number; tiltDeg: number; width: number }
  | { kind: 'dot'; x: number; y: number; r: number }

/** Segments closely following an ellipse's outline (a polygon of many sides). */
export function ellipseSegments(e: Extract<Shape, { kind: 'ellipse' }>, sides = 360): [Point, Point][] {
  const t = (e.tiltDeg * Math.PI) / 180
  const at = (k: number): Point => {
    const u = (2 * Math.PI * k) / sides
    const ex = e.rx * Math.cos(u),
      ey = e.ry * Math.sin(u)
    // Tilt counterclockwise as seen on screen (y points down).
    return { x: e.cx + ex * Math.cos(t) + ey * Math.sin(t), y: e.cy - ex * Math.sin(t) + ey * Math.cos(t) }
  }
  const out: [Point, Point][] = []
  for (let k = 0; k < sides; k++) out.push([at(k), at(k + 1)])
  return out
}

/** Squared distance from p to segment ab. */
function segmentDistance2(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x,
    dy = b.y - a.y
  const len2 = dx * dx + dy * dy
  let t = len2 === 0 ? 0 : ((px - a.x) * dx + (py - a.y) * dy) / len2
  t = t < 0 ? 0 : t > 1 ? 1 : t
  const qx = a.x + t * dx - px,
    qy = a.y + t * dy - py
  return qx * qx + qy * qy
}

/** Set the pixels within `radius` of segment ab (clipped to the frame). */
function stampSegment(mask: Uint8Array, width: number, height: number, a: Point, b: Point, radius: number): void {
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - radius - 1))
  const x1 = Math.min(width - 1, Math.ceil(Math.max(a.x, b.x) + radius + 1))
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - radius - 1))
  const y1 = Math.min(height - 1, Math.ceil(Math.max(a.y, b.y) + radius + 1))
  const r2 = radius * radius
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) if (segmentDistance2(x + 0.5, y + 0.5, a, b) <= r2) mask[y * width + x] = 1
}

/** The ink mask of some shapes on a width x height frame (1 = ink). */
export function rasterizeShapes(shapes: readonly Shape[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height)
  for (const s of shapes) {
    if (s.kind === 'segment') stampSegment(mask, width, height, s.a, s.b, s.width / 2)
    else if (s.kind === 'dot') stampSegment(mask, width, height, s, s, s.r)
    else for (const [a, b] of ellipseSegments(s)) stampSegment(mask, width, height, a, b, s.width / 2)
  }
  return mask
}
