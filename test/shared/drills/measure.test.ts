import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  fitEllipse,
  fitLine,
  generateDrill,
  inkPoints,
  measureDrill,
  rasterizeShapes,
  unit,
  type Drill,
  type DrillMeasure,
  type Point,
  type Shape
} from '#shared/drills/index.ts'

const W = 500
const frame = { width: W, height: W }
const draw = (shapes: Shape[]): Uint8Array => rasterizeShapes(shapes, W, W)
const seg = (a: Point, b: Point, width = 3): Shape => ({ kind: 'segment', a, b, width })
const figure = (m: DrillMeasure | null, name: string): number => {
  const f = m?.figures.find((x) => x.name === name)
  if (!f) throw new Error(`no figure ${name} in ${JSON.stringify(m)}`)
  return f.value
}
const drillOf = <K extends Drill['kind']>(kind: K, seed: number) =>
  generateDrill(kind, seed, frame) as Extract<Drill, { kind: K }>

describe('line and ellipse fits on drawn ink', () => {
  it('find a stroke’s angle and length', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -89.9, max: 90, noNaN: true }),
        fc.integer({ min: 60, max: 400 }),
        fc.double({ min: 1.5, max: 8, noNaN: true }),
        (angle, length, width) => {
          const u = unit(angle)
          const a = { x: 250 - (u.x * length) / 2, y: 250 - (u.y * length) / 2 }
          const b = { x: 250 + (u.x * length) / 2, y: 250 + (u.y * length) / 2 }
          const line = fitLine(inkPoints(draw([seg(a, b, width)]), W))!
          const off = Math.abs(((line.angleDeg - angle + 540) % 180) - 180)
          // A pixel and a half across over the stroke's length is the resolution.
          expect(Math.min(off, 180 - off)).toBeLessThan(Math.max(0.3, ((180 / Math.PI) * 1.5) / length))
          expect(line.rmsPx).toBeLessThan(width)
        }
      ),
      { numRuns: 200 }
    )
  })

  it('find an ellipse’s centre, axes and tilt', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 200 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 179.9, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        (rx, ratio, tilt, shift) => {
          const ry = rx * ratio
          const fit = fitEllipse(
            inkPoints(draw([{ kind: 'ellipse', cx: 250 + shift, cy: 250 - shift, rx, ry, tiltDeg: tilt, width: 3 }]), W)
          )!
          expect(Math.hypot(fit.cx - 250 - shift, fit.cy - 250 + shift)).toBeLessThan(1)
          expect(Math.abs(fit.rx - rx)).toBeLessThan(Math.max(1, 0.02 * rx))
          expect(Math.abs(fit.ry - ry)).toBeLessThan(Math.max(1, 0.03 * ry))
          if (ratio < 0.85) {
            const off = Math.abs(fit.tiltDeg - tilt) % 180
            expect(Math.min(off, 180 - off)).toBeLessThan(1.5)
          }
        }
      ),
      { numRuns: 150 }
    )
  })
})

describe('each drill’s own figures, against drawings made from known parameters', () => {
  const seedArb = fc.integer({ min: 0, max: 100000 })

  it('the answer itself measures as (nearly) no error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ...(['line-through-points', 'line-angle', 'ellipse', 'box', 'copy-length', 'divide-line'] as const)
        ),
        seedArb,
        (kind, seed) => {
          const drill = generateDrill(kind, seed, frame)
          const m = measureDrill(drill, draw(drill.answer))!
          // A 3 px stroke is 3 or 4 pixels wide depending on where it falls: lengths read to about 2 px.
          const limit = { px: 1, deg: 0.7, pct: 3, count: 0 }[m.headline.unit]
          expect(Math.abs(m.headline.value), `${drill.id}: ${JSON.stringify(m.figures)}`).toBeLessThanOrEqual(limit)
        }
      ),
      { numRuns: 120 }
    )
  })

  it('line at an angle: degrees off and length off are what was drawn', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.double({ min: -12, max: 12, noNaN: true }),
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        (seed, dAngle, dLength) => {
          const drill = drillOf('line-angle', seed)
          const { start, angleDeg, length } = drill.target
          const u = unit(angleDeg + dAngle)
          const drawnLength = length * (1 + dLength)
          const end = { x: start.x + u.x * drawnLength, y: start.y + u.y * drawnLength }
          fc.pre(end.x > 3 && end.y > 3 && end.x < W - 3 && end.y < W - 3)
          const m = measureDrill(
            drill,
            draw([seg(start, { x: start.x + u.x * drawnLength, y: start.y + u.y * drawnLength })])
          )
          expect(figure(m, 'angle')).toBeCloseTo(dAngle, 0)
          expect(Math.abs(figure(m, 'angle') - dAngle)).toBeLessThan(0.7)
          expect(Math.abs(figure(m, 'length') - dLength * 100)).toBeLessThan(2)
        }
      ),
      { numRuns: 100 }
    )
  })

  it('copy a length: px and % off', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: -60, max: 60 }), (seed, dPx) => {
        const drill = drillOf('copy-length', seed)
        const { start, direction, length } = drill.target
        const end = { x: start.x + direction.x * (length + dPx), y: start.y + direction.y * (length + dPx) }
        fc.pre(end.x < W - 3 && end.y < W - 3)
        const m = measureDrill(drill, draw([seg(start, end)]))
        expect(Math.abs(figure(m, 'length-px') - dPx)).toBeLessThan(3)
        expect(Math.abs(figure(m, 'length') - (dPx / length) * 100)).toBeLessThan((3 / length) * 100)
      }),
      { numRuns: 100 }
    )
  })

  it('line through two points: a line moved across by d is d px off', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: -25, max: 25 }), (seed, d) => {
        const drill = drillOf('line-through-points', seed)
        const { a, b } = drill.target
        const len = Math.hypot(b.x - a.x, b.y - a.y)
        const n = { x: -(b.y - a.y) / len, y: (b.x - a.x) / len }
        const m = measureDrill(
          drill,
          draw([seg({ x: a.x + n.x * d, y: a.y + n.y * d }, { x: b.x + n.x * d, y: b.y + n.y * d })])
        )
        expect(Math.abs(figure(m, 'offset') - Math.abs(d))).toBeLessThan(0.6)
        expect(Math.abs(figure(m, 'angle'))).toBeLessThan(0.6)
      }),
      { numRuns: 100 }
    )
  })

  it('ellipse: axes scaled by known factors are that many % off, and a turned one that many degrees', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.double({ min: -0.2, max: 0.2, noNaN: true }),
        fc.double({ min: -15, max: 15, noNaN: true }),
        (seed, scale, turn) => {
          const drill = drillOf('ellipse', seed)
          const t = drill.target
          fc.pre(t.ry / t.rx <= 0.85 && t.ry / (t.rx * (1 + scale)) <= 0.8)
          const m = measureDrill(
            drill,
            draw([
              {
                kind: 'ellipse',
                cx: t.cx,
                cy: t.cy,
                rx: t.rx * (1 + scale),
                ry: t.ry,
                tiltDeg: t.tiltDeg + turn,
                width: 3
              }
            ])
          )
          expect(Math.abs(figure(m, 'major') - scale * 100)).toBeLessThan(2)
          expect(Math.abs(figure(m, 'minor'))).toBeLessThan(3)
          expect(Math.abs(figure(m, 'tilt') - turn)).toBeLessThan(1.5)
          expect(figure(m, 'centre')).toBeLessThan(1)
        }
      ),
      { numRuns: 100 }
    )
  })

  it('divide a line: ticks moved along it by known amounts', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.integer({ min: -15, max: 15 }), { minLength: 3, maxLength: 3 }),
        (seed, shifts) => {
          const drill = drillOf('divide-line', seed)
          const { a, b, parts } = drill.target
          const len = Math.hypot(b.x - a.x, b.y - a.y)
          const u = { x: (b.x - a.x) / len, y: (b.y - a.y) / len }
          const n = { x: -u.y, y: u.x }
          const ticks: Shape[] = []
          const used = shifts.slice(0, parts - 1)
          used.forEach((s, k) => {
            const at = ((k + 1) / parts) * len + s
            const c = { x: a.x + u.x * at, y: a.y + u.y * at }
            ticks.push(seg({ x: c.x - n.x * 15, y: c.y - n.y * 15 }, { x: c.x + n.x * 15, y: c.y + n.y * 15 }))
          })
          const m = measureDrill(drill, draw(ticks))
          const meanPx = used.reduce((s, v) => s + Math.abs(v), 0) / used.length
          // Neighbouring ticks at most 30 px apart may pair with the other's division; keep them apart.
          fc.pre(len / parts > 2 * 15 + 20)
          expect(figure(m, 'ticks')).toBe(parts - 1)
          expect(Math.abs(figure(m, 'position-px') - meanPx)).toBeLessThan(0.75)
          expect(Math.abs(figure(m, 'position') - (meanPx / len) * 100)).toBeLessThan(0.3)
        }
      ),
      { numRuns: 100 }
    )
  })

  it('box: edges turned about their middles by known angles', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 9, maxLength: 9 }),
        (seed, turns) => {
          const drill = drillOf('box', seed)
          const edges = drill.target.edges.map(([a, b], i) => {
            const mx = (a.x + b.x) / 2,
              my = (a.y + b.y) / 2
            const r = (-turns[i] * Math.PI) / 180 // screen counterclockwise is negative in y-down coordinates
            const rot = (p: Point): Point => ({
              x: mx + (p.x - mx) * Math.cos(r) - (p.y - my) * Math.sin(r),
              y: my + (p.x - mx) * Math.sin(r) + (p.y - my) * Math.cos(r)
            })
            return seg(rot(a), rot(b))
          })
          const m = measureDrill(drill, draw(edges))
          const mean = turns.reduce((s, v) => s + Math.abs(v), 0) / turns.length
          expect(figure(m, 'edges-missing')).toBe(0)
          expect(Math.abs(figure(m, 'edge-angle') - mean)).toBeLessThan(0.8)
        }
      ),
      { numRuns: 60 }
    )
  })

  it('says nothing for an empty drawing and refuses a drawing of another frame', () => {
    const drill = drillOf('ellipse', 1)
    expect(measureDrill(drill, new Uint8Array(W * W))).toBeNull()
    expect(() => measureDrill(drill, new Uint8Array(10))).toThrow('a drawing of 10 pixels')
  })
})
