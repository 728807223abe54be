// Each drill's error in its own terms (px, degrees, % of a length), measured on the drawing's ink:
// a line fitted to it, an ellipse fitted to it, or the ticks found along a line. These are for the
// person drawing; the score is still the evaluator's (docs/scoring.md), the same for every drill.
import type { Drill } from './drills.ts'
import { dist, divisionTicks } from './drills.ts'
import { angleDifference, fitEllipse, fitLine, inkPoints, screenAngle, type LineFit } from './fit.ts'
import type { Point } from './shapes.ts'

export type FigureUnit = 'px' | 'deg' | 'pct' | 'count'

export interface DrillFigure {
  /** Stable name for programs (CSV columns, trends). */
  name: string
  label: string
  /** Signed where a direction means something (longer / shorter, clockwise / not). */
  value: number
  unit: FigureUnit
}

export interface DrillMeasure {
  /** The figure a trend follows for this kind of drill: an error, so lower is better (absolute). */
  headline: DrillFigure
  figures: DrillFigure[]
}

/** The drill's own figures for a drawing (a mask of the drill's frame), or null with no ink to read. */
export function measureDrill(drill: Drill, drawing: Uint8Array): DrillMeasure | null {
  const { width, height } = drill.frame
  if (drawing.length !== width * height)
    throw new Error(`a drawing of ${drawing.length} pixels for a ${width} x ${height} drill`)
  const points = inkPoints(drawing, width)
  if (points.length === 0) return null
  const fig = (name: string, label: string, value: number, unit: FigureUnit): DrillFigure => ({
    name,
    label,
    value,
    unit
  })
  switch (drill.kind) {
    case 'line-through-points': {
      const line = fitLine(points)
      if (!line) return null
      const { a, b } = drill.target
      const off = (p: Point): number => Math.abs(-(p.x - line.cx) * line.uy + (p.y - line.cy) * line.ux)
      const offset = (off(a) + off(b)) / 2
      const angle = angleDifference(line.angleDeg, screenAngle(b.x - a.x, b.y - a.y))
      const headline = fig('offset', 'Points off the line (mean)', offset, 'px')
      return {
        headline,
        figures: [
          headline,
          fig('angle', 'Angle off', angle, 'deg'),
          fig('wobble', 'Wobble (RMS off straight)', line.rmsPx, 'px')
        ]
      }
    }
    case 'line-angle': {
      const line = fitLine(points)
      if (!line) return null
      const { angleDeg, length } = drill.target
      const angle = angleDifference(line.angleDeg, angleDeg)
      const drawn = strokeLength(line)
      const headline = fig('angle', 'Angle off', angle, 'deg')
      return {
        headline,
        figures: [
          headline,
          fig('length', 'Length off', ((drawn - length) / length) * 100, 'pct'),
          fig('wobble', 'Wobble (RMS off straight)', line.rmsPx, 'px')
        ]
      }
    }
    case 'copy-length': {
      const line = fitLine(points)
      if (!line) return null
      const { length } = drill.target
      const drawn = strokeLength(line)
      const headline = fig('length', 'Length off', ((drawn - length) / length) * 100, 'pct')
      return {
        headline,
        figures: [
          headline,
          fig('length-px', 'Length off', drawn - length, 'px'),
          fig(
            'angle',
            'Angle off the asked direction',
            angleDifference(line.angleDeg, screenAngle(drill.target.direction.x, drill.target.direction.y)),
            'deg'
          )
        ]
      }
    }
    case 'ellipse': {
      const e = fitEllipse(points)
      if (!e) return null
      const t = drill.target
      const major = ((e.rx - t.rx) / t.rx) * 100
      const minor = ((e.ry - t.ry) / t.ry) * 100
      const headline = fig('axes', 'Axes off (mean of both)', (Math.abs(major) + Math.abs(minor)) / 2, 'pct')
      const figures = [
        headline,
        fig('major', 'Long axis off', major, 'pct'),
        fig('minor', 'Short axis off', minor, 'pct'),
        fig('centre', 'Centre off', Math.hypot(e.cx - t.cx, e.cy - t.cy), 'px')
      ]
      // A near-circle has no tilt to speak of.
      if (t.ry / t.rx <= 0.85 && e.ry / e.rx <= 0.95)
        figures.push(fig('tilt', 'Tilt off', angleDifference(e.tiltDeg, t.tiltDeg), 'deg'))
      return { headline, figures }
    }
    case 'box': {
      const band = Math.max(8, 0.04 * Math.min(width, height))
      const edges = drill.target.edges
      // Each point belongs to the edge it is nearest to (corners are shared, so their last tenth
      // on either side counts for neither), and only within the band.
      const mine: Point[][] = edges.map(() => [])
      for (const p of points) {
        let best = -1,
          bestD = band
        for (let i = 0; i < edges.length; i++) {
          const d = segmentDistance(p, edges[i][0], edges[i][1])
          if (d <= bestD) {
            bestD = d
            best = i
          }
        }
        if (best >= 0 && inMiddle(p, edges[best][0], edges[best][1])) mine[best].push(p)
      }
      const errors: number[] = []
      let missing = 0
      edges.forEach(([a, b], i) => {
        const line = mine[i].length >= Math.max(5, 0.25 * dist(a, b)) ? fitLine(mine[i]) : null
        if (!line) missing++
        else errors.push(Math.abs(angleDifference(line.angleDeg, screenAngle(b.x - a.x, b.y - a.y))))
      })
      const mean = errors.length ? errors.reduce((s, v) => s + v, 0) / errors.length : 90
      const headline = fig('edge-angle', 'Edge angles off (mean)', mean, 'deg')
      return {
        headline,
        figures: [
          headline,
          fig('edge-angle-worst', 'Worst edge off', errors.length ? Math.max(...errors) : 90, 'deg'),
          fig('edges-missing', 'Edges not found', missing, 'count')
        ]
      }
    }
    case 'divide-line': {
      const { a, b, parts } = drill.target
      const len = dist(a, b)
      const expected = divisionTicks(a, b, parts, 0).map(
        ([p]) => ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len
      )
      const found = tickPositions(points, a, b, Math.max(6, 0.1 * Math.min(width, height)), Math.max(4, 0.02 * len))
      // Each expected division takes the nearest tick found.
      const offs = expected.map((e) => (found.length ? Math.min(...found.map((f) => Math.abs(f - e))) : len))
      const mean = (offs.reduce((s, v) => s + v, 0) / offs.length / len) * 100
      const headline = fig('position', 'Divisions off (mean, % of the line)', mean, 'pct')
      return {
        headline,
        figures: [
          headline,
          fig('position-worst', 'Worst division off', (Math.max(...offs) / len) * 100, 'pct'),
          fig('position-px', 'Divisions off (mean)', offs.reduce((s, v) => s + v, 0) / offs.length, 'px'),
          fig('ticks', 'Ticks found', found.length, 'count')
        ]
      }
    }
  }
}

/**
 * The length of a straight stroke from its ink. Its extent along the line is the length plus the
 * two round caps (half the width each), and its area the length times the width plus one disc:
 * count = (extent - w) w + (pi / 4) w², solved for the width w.
 */
function strokeLength(line: LineFit): number {
  const extent = line.to - line.from + 1
  const k = 1 - Math.PI / 4
  const disc = extent * extent - 4 * k * line.count
  const width = disc > 0 ? (extent - Math.sqrt(disc)) / (2 * k) : extent / 2
  return Math.max(0, extent - width)
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x,
    dy = b.y - a.y
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)))
  return Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y)
}

/** Is p's projection on ab within its middle (not the tenth at either end)? */
function inMiddle(p: Point, a: Point, b: Point): boolean {
  const dx = b.x - a.x,
    dy = b.y - a.y
  const t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)
  return t >= 0.1 && t <= 0.9
}

/**
 * Where ticks cross line ab, as distances from a: the ink within `reach` of the line, projected on
 * it, in groups split wherever two neighbours are more than `gap` apart; each group's middle.
 */
export function tickPositions(points: readonly Point[], a: Point, b: Point, reach: number, gap: number): number[] {
  const len = dist(a, b)
  const ux = (b.x - a.x) / len,
    uy = (b.y - a.y) / len
  const along = points
    .filter((p) => Math.abs(-(p.x - a.x) * uy + (p.y - a.y) * ux) <= reach)
    .map((p) => (p.x - a.x) * ux + (p.y - a.y) * uy)
    .sort((x, y) => x - y)
  const out: number[] = []
  let start = 0
  for (let i = 1; i <= along.length; i++) {
    if (i === along.length || along[i] - along[i - 1] > gap) {
      if (i > start) out.push((along[start] + along[i - 1]) / 2)
      start = i
    }
  }
  return out
}
