// A still life as line drawing (ellipses, boxes, free curves) and an artist's imperfect copy of
// each shape: shifted, scaled about its centre and drawn with a wobbling hand.
import type { SeededRandom } from './random.ts'
import type { Point } from './raster.ts'
import { arcLengths, densify } from './path.ts'

type ShapeKind = 'ellipse' | 'box' | 'curve'

export interface Shape {
  kind: ShapeKind
  /** The outline, in frame pixels (x right, y down); closed shapes end where they start. */
  path: Point[]
  centre: Point
}

const KINDS: readonly ShapeKind[] = ['ellipse', 'box', 'curve']

/** `count` shapes centred in the middle 70 % of a width x height frame, each 4-20 % of its short side in radius. */
export function stillLife(rng: SeededRandom, width: number, height: number, count: number): Shape[] {
  const unit = Math.min(width, height)
  const shapes: Shape[] = []
  for (let i = 0; i < count; i++) {
    const kind = rng.pick(KINDS)
    const centre = { x: rng.between(0.15, 0.85) * width, y: rng.between(0.15, 0.85) * height }
    const a = rng.between(0.04, 0.2) * unit,
      b = rng.between(0.04, 0.2) * unit
    shapes.push({ kind, centre, path: outline(kind, rng, centre, a, b, unit) })
  }
  return shapes
}

function outline(kind: ShapeKind, rng: SeededRandom, c: Point, a: number, b: number, unit: number): Point[] {
  if (kind === 'ellipse') {
    const turn = rng.between(0, Math.PI)
    const n = Math.max(24, Math.ceil((2 * Math.PI * Math.max(a, b)) / 3))
    const pts: Point[] = []
    for (let i = 0; i <= n; i++) {
      const t = (2 * Math.PI * (i % n)) / n
      pts.push(rotate({ x: a * Math.cos(t), y: b * Math.sin(t) }, turn, c))
    }
    return pts
  }
  if (kind === 'box') {
    // Boxes stand on a table: only slightly tilted.
    const tilt = rng.between(-0.15, 0.15)
    const corners = [
      { x: -a, y: -b },
      { x: a, y: -b },
      { x: a, y: b },
      { x: -a, y: b },
      { x: -a, y: -b }
    ]
    return corners.map((p) => rotate(p, tilt, c))
  }
  // A free curve: one cubic Bezier from one side of the centre to the other.
  const reach = (): Point => ({ x: rng.between(-0.2, 0.2) * unit, y: rng.between(-0.2, 0.2) * unit })
  const ends = rng.between(0, 2 * Math.PI)
  const p0 = { x: c.x - Math.cos(ends) * a, y: c.y - Math.sin(ends) * b }
  const p3 = { x: c.x + Math.cos(ends) * a, y: c.y + Math.sin(ends) * b }
  const r1 = reach(),
    r2 = reach()
  const p1 = { x: c.x + r1.x, y: c.y + r1.y },
    p2 = { x: c.x + r2.x, y: c.y + r2.y }
  const n = 48
  const pts: Point[] = []
  for (let i = 0; i <= n; i++) {
    const t = i / n,
      u = 1 - t
    const w0 = u * u * u,
      w1 = 3 * u * u * t,
      w2 = 3 * u * t * t,
      w3 = t * t * t
    pts.push({
      x: w0 * p0.x + w1 * p1.x + w2 * p2.x + w3 * p3.x,
      y: w0 * p0.y + w1 * p1.y + w2 * p2.y + w3 * p3.y
    })
  }
  return pts
}

function rotate(p: Point, angle: number, about: Point): Point {
  const cos = Math.cos(angle),
    sin = Math.sin(angle)
  return { x: about.x + p.x * cos - p.y * sin, y: about.y + p.x * sin + p.y * cos }
}

/**
 * The copy of one shape: moved by up to 3 % of the frame's short side, scaled by 0.9..1.1 about
 * its centre, and displaced along its length by a slow wobble of up to `wobble` of the short
 * side on each axis (two sine waves with random wavelengths and phases, as a hand drifts).
 */
export function copyShape(rng: SeededRandom, shape: Shape, unit: number, wobble: number): Point[] {
  const shift = { x: rng.between(-0.03, 0.03) * unit, y: rng.between(-0.03, 0.03) * unit }
  const scale = rng.between(0.9, 1.1)
  const amplitude = wobble * unit
  const waves = [0, 1].map(() => ({
    length: rng.between(0.05, 0.15) * unit,
    phase: rng.between(0, 2 * Math.PI)
  }))
  const path = densify(shape.path, 2)
  const at = arcLengths(path)
  return path.map((p, i) => ({
    x:
      shape.centre.x +
      (p.x - shape.centre.x) * scale +
      shift.x +
      amplitude * Math.sin((2 * Math.PI * at[i]) / waves[0].length + waves[0].phase),
    y:
      shape.centre.y +
      (p.y - shape.centre.y) * scale +
      shift.y +
      amplitude * Math.sin((2 * Math.PI * at[i]) / waves[1].length + waves[1].phase)
  }))
}
