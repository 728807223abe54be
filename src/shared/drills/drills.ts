// Drills: references generated from a seed, so the same id is the same exercise everywhere (the
// studio, an assignment pack, a teacher's report). Each drill has what is given (the guide, shown
// under the drawing), what is asked (the answer: the reference ink the evaluator scores the
// drawing against) and what the reference panel shows (the answer itself for copying drills, the
// guide for judging drills such as dividing a line).
import type { FrameSize } from '../contract/app.ts'
import { between, pick, seededRandom, type Random } from './random.ts'
import type { Point, Shape } from './shapes.ts'
import { MAX_SEED, drillId, parseDrillId, type DrillKind } from './ids.ts'

export { DRILL_KINDS, drillId, isDrillId, parseDrillId, type DrillKind } from './ids.ts'

export const DRILL_TITLES: Record<DrillKind, string> = {
  'line-through-points': 'Line through two points',
  'line-angle': 'Line at an angle',
  ellipse: 'Ellipse',
  box: 'Box in two-point perspective',
  'copy-length': 'Copy a length',
  'divide-line': 'Divide a line'
}

interface DrillBase {
  id: string
  seed: number
  frame: FrameSize
  title: string
  /** What to do, in a sentence. */
  prompt: string
  /** Shown under the drawing: never ink. */
  guide: Shape[]
  /** The reference ink the drawing is scored against. */
  answer: Shape[]
  /** What the reference panel shows. */
  display: Shape[]
}

export type Drill = DrillBase &
  (
    | { kind: 'line-through-points'; target: { a: Point; b: Point } }
    | { kind: 'line-angle'; target: { start: Point; angleDeg: number; length: number } }
    | { kind: 'ellipse'; target: { cx: number; cy: number; rx: number; ry: number; tiltDeg: number } }
    | { kind: 'box'; target: { edges: [Point, Point][]; horizonY: number; vanishing: [Point, Point] } }
    | { kind: 'copy-length'; target: { given: [Point, Point]; start: Point; direction: Point; length: number } }
    | { kind: 'divide-line'; target: { a: Point; b: Point; parts: 2 | 3 | 4 } }
  )

/** A seed for a new drill, from any source of randomness. */
export function newSeed(rand: Random = Math.random): number {
  return Math.floor(rand() * MAX_SEED) >>> 0
}

/** The drill of this id on this frame; throws for an id that is not a drill's. */
export function drillFromId(id: string, frame: FrameSize): Drill {
  const parsed = parseDrillId(id)
  if (!parsed) throw new Error(`"${id}" is not a drill`)
  return generateDrill(parsed.kind, parsed.seed, frame)
}

/** Lines as wide as a firm pen stroke on a 500-pixel frame. */
export const lineWidth = (frame: FrameSize): number => Math.max(2, Math.min(frame.width, frame.height) * 0.006)

export function generateDrill(kind: DrillKind, seed: number, frame: FrameSize): Drill {
  const rand = seededRandom((seed ^ hashKind(kind)) >>> 0)
  const base = { id: drillId(kind, seed), seed: seed >>> 0, frame: { ...frame }, title: DRILL_TITLES[kind] }
  const area = new Area(frame)
  const w = lineWidth(frame)
  const dotR = Math.max(2.5, area.side * 0.008)
  const dot = (p: Point): Shape => ({ kind: 'dot', x: p.x, y: p.y, r: dotR })
  const seg = (a: Point, b: Point, width = w): Shape => ({ kind: 'segment', a, b, width })
  switch (kind) {
    case 'line-through-points': {
      let a: Point, b: Point
      do {
        a = area.point(rand)
        b = area.point(rand)
      } while (!inRange(dist(a, b), 0.35 * area.side, 0.8 * area.side))
      return {
        ...base,
        kind,
        prompt: 'Draw one straight line from one point to the other.',
        guide: [dot(a), dot(b)],
        answer: [seg(a, b)],
        display: [seg(a, b), dot(a), dot(b)],
        target: { a, b }
      }
    }
    case 'line-angle': {
      let angleDeg: number, length: number, start: Point, end: Point
      do {
        angleDeg = Math.round(between(rand, -85, 86))
        length = Math.round(between(rand, 0.3, 0.6) * area.side)
        start = area.point(rand)
        end = along(start, unit(angleDeg), length)
      } while (Math.abs(angleDeg) < 5 || !area.holds(end))
      return {
        ...base,
        kind,
        prompt: `From the dot, draw a line at ${angleDeg}° (0° points right, positive turns up), ${length} px long, as shown.`,
        guide: [dot(start)],
        answer: [seg(start, end)],
        display: [seg(start, end), dot(start)],
        target: { start, angleDeg, length }
      }
    }
    case 'ellipse': {
      let cx: number, cy: number, rx: number, ry: number, tiltDeg: number
      do {
        rx = Math.round(between(rand, 0.12, 0.33) * area.side)
        ry = Math.round(rx * between(rand, 0.3, 0.9))
        tiltDeg = Math.floor(between(rand, 0, 180))
        ;({ x: cx, y: cy } = area.point(rand))
      } while (!area.holds({ x: cx - rx, y: cy - rx }) || !area.holds({ x: cx + rx, y: cy + rx }))
      const e: Shape = { kind: 'ellipse', cx, cy, rx, ry, tiltDeg, width: w }
      return {
        ...base,
        kind,
        prompt: `Draw the ellipse around the centre mark: ${2 * rx} by ${2 * ry} px, its long axis at ${tiltDeg}°.`,
        guide: [dot({ x: cx, y: cy })],
        answer: [e],
        display: [e, dot({ x: cx, y: cy })],
        target: { cx, cy, rx, ry, tiltDeg }
      }
    }
    case 'box': {
      const box = twoPointBox(rand, area)
      const horizon = seg({ x: 0, y: box.horizonY }, { x: frame.width, y: box.horizonY }, Math.max(1, w / 3))
      const vps = box.vanishing.filter((v) => v.x >= 0 && v.x <= frame.width).map(dot)
      return {
        ...base,
        kind,
        prompt: 'Copy the box. Every edge that is not upright runs to a vanishing point on the horizon.',
        guide: [horizon, ...vps],
        answer: box.edges.map(([a, b]) => seg(a, b)),
        display: [...box.edges.map(([a, b]) => seg(a, b)), horizon, ...vps],
        target: box
      }
    }
    case 'copy-length': {
      let given: [Point, Point], start: Point, direction: Point, length: number, end: Point
      do {
        length = Math.round(between(rand, 0.18, 0.42) * area.side)
        const horizontal = rand() < 0.5
        const g0 = area.point(rand)
        given = [g0, horizontal ? { x: g0.x + length, y: g0.y } : { x: g0.x, y: g0.y + length }]
        // The copy runs across the given line's direction, so it cannot be read off by alignment.
        direction = horizontal ? { x: 0, y: 1 } : { x: 1, y: 0 }
        start = area.point(rand)
        end = along(start, direction, length, true)
      } while (
        !area.holds(given[1]) ||
        !area.holds(end) ||
        distanceToSegment(start, given[0], given[1]) < 0.1 * area.side ||
        distanceToSegment(end, given[0], given[1]) < 0.1 * area.side
      )
      const goes = direction.x === 1 ? 'to the right' : 'downwards'
      return {
        ...base,
        kind,
        prompt: `From the dot, draw a line ${goes} exactly as long as the given line.`,
        guide: [seg(given[0], given[1]), dot(start)],
        answer: [seg(start, end)],
        display: [seg(given[0], given[1]), dot(start)],
        target: { given, start, direction, length }
      }
    }
    case 'divide-line': {
      const parts = pick(rand, [2, 3, 4] as const)
      let a: Point, b: Point
      do {
        const angle = pick(rand, [0, 0, 90, Math.round(between(rand, -35, 36))])
        const length = Math.round(between(rand, 0.45, 0.75) * area.side)
        a = area.point(rand)
        b = along(a, unit(angle), length)
      } while (!area.holds(b))
      const tick = divisionTicks(a, b, parts, 0.07 * area.side)
      const ends = divisionTicks(a, b, 1, 0.05 * area.side, true)
      const word = { 2: 'halves', 3: 'thirds', 4: 'quarters' }[parts]
      return {
        ...base,
        kind,
        prompt: `Divide the line into ${word}: a short tick across it at each division.`,
        guide: [seg(a, b), ...ends.map(([p, q]) => seg(p, q))],
        answer: tick.map(([p, q]) => seg(p, q)),
        display: [seg(a, b), ...ends.map(([p, q]) => seg(p, q))],
        target: { a, b, parts }
      }
    }
  }
}

/** Ticks of length `size` across ab at k / parts of the way, k = 1..parts-1 (or at both ends). */
export function divisionTicks(a: Point, b: Point, parts: number, size: number, ends = false): [Point, Point][] {
  const len = dist(a, b)
  const n = { x: -(b.y - a.y) / len, y: (b.x - a.x) / len }
  const at = ends ? [0, 1] : Array.from({ length: parts - 1 }, (_, k) => (k + 1) / parts)
  return at.map((f) => {
    const c = { x: a.x + f * (b.x - a.x), y: a.y + f * (b.y - a.y) }
    return [along(c, n, -size / 2, true), along(c, n, size / 2, true)]
  })
}

/** The inner part of the frame drills are placed in. */
class Area {
  readonly x0: number
  readonly x1: number
  readonly y0: number
  readonly y1: number
  readonly side: number
  constructor(frame: FrameSize) {
    this.side = Math.min(frame.width, frame.height)
    const m = 0.1 * this.side
    this.x0 = m
    this.x1 = frame.width - m
    this.y0 = m
    this.y1 = frame.height - m
  }
  point(rand: Random): Point {
    return { x: Math.round(between(rand, this.x0, this.x1)), y: Math.round(between(rand, this.y0, this.y1)) }
  }
  holds(p: Point): boolean {
    return p.x >= this.x0 && p.x <= this.x1 && p.y >= this.y0 && p.y <= this.y1
  }
}

/** A box below the horizon in two-point perspective: 9 visible edges. */
function twoPointBox(rand: Random, area: Area): Extract<Drill, { kind: 'box' }>['target'] {
  const S = area.side
  for (;;) {
    const horizonY = Math.round(between(rand, area.y0 + 0.05 * S, area.y0 + 0.25 * S))
    const x0 = Math.round(between(rand, area.x0 + 0.3 * (area.x1 - area.x0), area.x1 - 0.3 * (area.x1 - area.x0)))
    const v1 = { x: Math.round(x0 - between(rand, 0.5, 1.4) * S), y: horizonY }
    const v2 = { x: Math.round(x0 + between(rand, 0.5, 1.4) * S), y: horizonY }
    const top = Math.round(horizonY + between(rand, 0.1, 0.25) * S)
    const bottom = Math.round(top + between(rand, 0.2, 0.35) * S)
    const xl = Math.round(x0 - between(rand, 0.15, 0.3) * S)
    const xr = Math.round(x0 + between(rand, 0.15, 0.3) * S)
    const toward = (y: number, v: Point, x: number): Point => ({ x, y: y + ((v.y - y) * (x - x0)) / (v.x - x0) })
    const f0 = { x: x0, y: top },
      f1 = { x: x0, y: bottom }
    const tl = toward(top, v1, xl),
      bl = toward(bottom, v1, xl)
    const tr = toward(top, v2, xr),
      br = toward(bottom, v2, xr)
    const back = intersect(tl, v2, tr, v1)
    const corners = [f0, f1, tl, bl, tr, br, back]
    if (!back || !corners.every((p) => area.holds(p!))) continue
    const edges: [Point, Point][] = [
      [f0, f1],
      [tl, bl],
      [tr, br],
      [f0, tl],
      [f1, bl],
      [f0, tr],
      [f1, br],
      [tl, back],
      [tr, back]
    ]
    return { edges, horizonY, vanishing: [v1, v2] }
  }
}

export function dist(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y)
}

/** The unit vector at `deg` degrees as seen on screen (counterclockwise from right, y down). */
export function unit(deg: number): Point {
  const r = (deg * Math.PI) / 180
  return { x: Math.cos(r), y: -Math.sin(r) }
}

function along(p: Point, u: Point, length: number, exact = false): Point {
  const q = { x: p.x + u.x * length, y: p.y + u.y * length }
  return exact ? q : { x: Math.round(q.x * 100) / 100, y: Math.round(q.y * 100) / 100 }
}

const inRange = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x,
    dy = b.y - a.y
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
}

/** Where line p1-p2 meets line q1-q2 (null if parallel). */
function intersect(p1: Point, p2: Point, q1: Point, q2: Point): Point | null {
  const d = (p1.x - p2.x) * (q1.y - q2.y) - (p1.y - p2.y) * (q1.x - q2.x)
  if (Math.abs(d) < 1e-9) return null
  const a = p1.x * p2.y - p1.y * p2.x,
    b = q1.x * q2.y - q1.y * q2.x
  return { x: (a * (q1.x - q2.x) - (p1.x - p2.x) * b) / d, y: (a * (q1.y - q2.y) - (p1.y - p2.y) * b) / d }
}

function hashKind(kind: string): number {
  let h = 2166136261
  for (let i = 0; i < kind.length; i++) h = Math.imul(h ^ kind.charCodeAt(i), 16777619)
  return h >>> 0
}
