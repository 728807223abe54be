import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Stroke, StrokePoint } from '#shared/stroke/types.ts'
import { crossingX, rasterizePolygon, rasterizeStroke, strokeOutline, type Outline } from '#shared/stroke/index.ts'
import { newRasterCounters } from '#shared/stroke/rasterize.ts'
import { rasterizeBySortedCrossings } from './sorted-crossings-oracle.ts'

/**
 * The obvious version: for every pixel centre of the frame, the winding number of the polygon
 * around it (a ray to +x, each edge crossing it counted +1 upward and -1 downward; an edge crosses
 * when its y range [min, max) holds the centre), nonzero = covered.
 */
function rasterizeSlow(polygon: Outline, frame: { width: number; height: number }): Int32Array {
  const out: number[] = []
  const n = polygon.length
  if (n < 3) return new Int32Array(0)
  // A point outside the polygon's bounding box has winding number 0: only the box needs testing.
  const ys = polygon.map((p) => p[1])
  const xs = polygon.map((p) => p[0])
  const [yLo, yHi] = [
    Math.max(0, Math.floor(Math.min(...ys)) - 1),
    Math.min(frame.height, Math.ceil(Math.max(...ys)) + 1)
  ]
  const [xLo, xHi] = [
    Math.max(0, Math.floor(Math.min(...xs)) - 1),
    Math.min(frame.width, Math.ceil(Math.max(...xs)) + 1)
  ]
  for (let y = yLo; y < yHi; y++) {
    const py = y + 0.5
    for (let x = xLo; x < xHi; x++) {
      const px = x + 0.5
      let winding = 0
      for (let i = 0; i < n; i++) {
        const [x0, y0] = polygon[i]
        const [x1, y1] = polygon[(i + 1) % n]
        if (y0 > py !== y1 > py && px < crossingX(x0, y0, x1, y1, py)) winding += y1 > y0 ? 1 : -1
      }
      if (winding !== 0) out.push(y * frame.width + x)
    }
  }
  return Int32Array.from(out)
}

const pt = (x: number, y: number, pressure = 0.5): StrokePoint => ({ x, y, pressure, tiltX: 0, tiltY: 0, t: 0 })
const stroke = (points: StrokePoint[], size = 4, tool: Stroke['tool'] = 'pen'): Stroke => ({ tool, size, points })
const pixelsOf = (list: Int32Array, width: number): [number, number][] =>
  Array.from(list, (i) => [i % width, Math.floor(i / width)])

const frameArb = fc.record({ width: fc.integer({ min: 1, max: 48 }), height: fc.integer({ min: 1, max: 48 }) })
/** Coordinates that often sit exactly on pixel centres and edges, and sometimes outside the frame. */
const coordArb = (max: number) =>
  fc.oneof(
    fc.double({ min: -8, max: max + 8, noNaN: true }),
    fc.integer({ min: -4, max: max + 4 }),
    fc.integer({ min: -4, max: max + 4 }).map((v) => v + 0.5)
  )

describe('rasterizePolygon', () => {
  it('covers the pixels whose centres are inside a square, either orientation', () => {
    const square: Outline = [
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3]
    ]
    const frame = { width: 5, height: 5 }
    expect(pixelsOf(rasterizePolygon(square, frame), 5)).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2]
    ])
    expect(rasterizePolygon([...square].reverse(), frame)).toEqual(rasterizePolygon(square, frame))
  })

  it('fills self-overlapping regions by the nonzero rule (a pentagram has a filled centre)', () => {
    const c = 20
    const star: Outline = [0, 2, 4, 1, 3].map((k) => {
      const a = -Math.PI / 2 + (k * 2 * Math.PI) / 5
      return [c + 18 * Math.cos(a), c + 18 * Math.sin(a)]
    })
    const pixels = new Set(rasterizePolygon(star, { width: 40, height: 40 }))
    expect(pixels.has(c * 40 + c)).toBe(true) // winding 2 at the centre: even-odd would leave a hole
    // A square wound twice is still the square.
    const twice: Outline = [
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3],
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3]
    ]
    expect(pixelsOf(rasterizePolygon(twice, { width: 5, height: 5 }), 5)).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [2, 2]
    ])
  })

  it('clips to the frame and handles degenerate input', () => {
    const big: Outline = [
      [-100, -100],
      [100, -100],
      [100, 100],
      [-100, 100]
    ]
    expect(rasterizePolygon(big, { width: 3, height: 2 })).toEqual(Int32Array.from([0, 1, 2, 3, 4, 5]))
    expect(
      rasterizePolygon(
        [
          [0, 0],
          [5, 5]
        ],
        { width: 8, height: 8 }
      )
    ).toEqual(new Int32Array(0))
    expect(
      rasterizePolygon(
        [
          [0, 2],
          [5, 2],
          [9, 2]
        ],
        { width: 8, height: 8 }
      )
    ).toEqual(new Int32Array(0))
    expect(() =>
      rasterizePolygon(
        [
          [0, 0],
          [NaN, 1],
          [2, 2]
        ],
        { width: 8, height: 8 }
      )
    ).toThrow(/finite/)
  })

  it('equals the per-pixel winding test on random polygons (self-crossing, on-centre vertices, outside the frame)', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) =>
          fc.tuple(
            fc.constant(frame),
            fc.array(fc.tuple(coordArb(frame.width), coordArb(frame.height)), { minLength: 0, maxLength: 24 })
          )
        ),
        ([frame, polygon]) => {
          expect(rasterizePolygon(polygon, frame)).toEqual(rasterizeSlow(polygon, frame))
        }
      ),
      { numRuns: 2000 }
    )
  })
})

/** A zigzag between two rows: every segment crosses every row between them (the costliest shape). */
function zigzag(n: number, frame: { width: number; height: number }): Outline {
  return Array.from({ length: n }, (_, i): [number, number] => [
    3 + ((frame.width - 6) * i) / n,
    i % 2 ? frame.height - 3 : 3
  ])
}

/** Rows whose centre line an edge crosses, summed over the edges (half-open in y, clipped). */
function rowsCrossed(polygon: Outline, height: number): number {
  let total = 0
  polygon.forEach(([, y0], i) => {
    const y1 = polygon[(i + 1) % polygon.length][1]
    for (let r = 0; r < height; r++) if (Math.min(y0, y1) <= r + 0.5 && r + 0.5 < Math.max(y0, y1)) total++
  })
  return total
}

describe('rasterizePolygon against the sorted-crossings fill it replaced', () => {
  it('gives exactly the same pixels on random polygons (self-crossing, many vertices, larger frames)', () => {
    const bigFrame = fc.record({ width: fc.integer({ min: 1, max: 160 }), height: fc.integer({ min: 1, max: 160 }) })
    fc.assert(
      fc.property(
        bigFrame.chain((frame) =>
          fc.tuple(
            fc.constant(frame),
            fc.array(fc.tuple(coordArb(frame.width), coordArb(frame.height)), { minLength: 0, maxLength: 200 })
          )
        ),
        ([frame, polygon]) => {
          expect(rasterizePolygon(polygon, frame)).toEqual(rasterizeBySortedCrossings(polygon, frame))
        }
      ),
      { numRuns: 1500 }
    )
  })

  it('gives the same pixels on dense zigzags, nested spirals and strokes of many points', () => {
    const frame = { width: 97, height: 83 }
    for (const n of [3, 4, 5, 50, 51, 400, 1001]) {
      const z = zigzag(n, frame)
      expect(rasterizePolygon(z, frame)).toEqual(rasterizeBySortedCrossings(z, frame))
      // Wound around several times (winding numbers up to 6 and back).
      const spiral: Outline = Array.from({ length: n * 3 }, (_, i) => {
        const a = (i / n) * 6 * Math.PI
        const rad = 5 + (30 * i) / (n * 3)
        return [48.5 + rad * Math.cos(a), 41.5 + rad * Math.sin(a)]
      })
      expect(rasterizePolygon(spiral, frame)).toEqual(rasterizeBySortedCrossings(spiral, frame))
    }
    fc.assert(
      fc.property(
        fc.array(pointArb(frame), { minLength: 1, maxLength: 400 }),
        fc.double({ min: 0.5, max: 30, noNaN: true }),
        (points, size) => {
          const outline = strokeOutline(stroke(points, size))
          expect(rasterizePolygon(outline, frame)).toEqual(rasterizeBySortedCrossings(outline, frame))
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe('rasterizePolygon work', () => {
  it('computes each (edge, row) crossing once and sums each covered row once: linear, never a sort', () => {
    const frame = { width: 200, height: 150 }
    for (const n of [10, 100, 1000, 4000]) {
      const polygon = zigzag(n, frame)
      const counters = newRasterCounters()
      rasterizePolygon(polygon, frame, counters)
      expect(counters.crossings).toBe(rowsCrossed(polygon, frame.height))
      expect(counters.edges).toBeLessThanOrEqual(n)
      expect(counters.cells).toBeLessThanOrEqual(frame.height * (frame.width + 1))
    }
  })

  it('doubling a zigzag doubles the work (an insertion sort would quadruple it)', () => {
    const frame = { width: 500, height: 500 }
    const work = (n: number): number => {
      const counters = newRasterCounters()
      rasterizePolygon(zigzag(n, frame), frame, counters)
      return counters.crossings + counters.edges + counters.cells
    }
    for (const n of [1000, 4000, 16000]) {
      // Linear: at most twice the work (the fixed per-row part makes it a little less).
      expect(work(2 * n) / work(n)).toBeLessThan(2.05)
    }
  })

  it('a stroke counts the same work as its outline', () => {
    const s = stroke(
      Array.from({ length: 300 }, (_, i) => pt(20 + (i % 2) * 60, 10 + i * 0.2, 0.5)),
      3
    )
    const frame = { width: 100, height: 100 }
    const a = newRasterCounters()
    const b = newRasterCounters()
    rasterizeStroke(s, frame, a)
    rasterizePolygon(strokeOutline(s), frame, b)
    expect(a).toEqual(b)
    expect(a.crossings).toBe(rowsCrossed(strokeOutline(s), frame.height))
  })
})

const pointArb = (frame: { width: number; height: number }) =>
  fc.record({
    x: coordArb(frame.width),
    y: coordArb(frame.height),
    pressure: fc.double({ min: 0, max: 1, noNaN: true }),
    tiltX: fc.constant(0),
    tiltY: fc.constant(0),
    t: fc.constant(0)
  })

describe('rasterizeStroke', () => {
  it('equals the per-pixel winding test of the same outline on random strokes', () => {
    fc.assert(
      fc.property(
        frameArb.chain((frame) =>
          fc.tuple(
            fc.constant(frame),
            fc.array(pointArb(frame), { minLength: 1, maxLength: 30 }),
            fc.double({ min: 0.5, max: 24, noNaN: true })
          )
        ),
        ([frame, points, size]) => {
          const s = stroke(points, size)
          const fast = rasterizeStroke(s, frame)
          expect(fast).toEqual(rasterizeSlow(strokeOutline(s), frame))
          // ascending and unique, inside the frame
          expect(fast.every((v, i) => i === 0 || v > fast[i - 1])).toBe(true)
          if (fast.length) expect(fast[fast.length - 1]).toBeLessThan(frame.width * frame.height)
        }
      ),
      { numRuns: 500 }
    )
  })

  it('always inks a dot, however light the touch or small the pen', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 63.999, noNaN: true }),
        fc.double({ min: 0, max: 63.999, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 6, noNaN: true }),
        (x, y, pressure, size) => {
          const pixels = rasterizeStroke(stroke([pt(x, y, pressure)], size), { width: 64, height: 64 })
          expect(pixels.length).toBeGreaterThan(0)
          // and the dot sits where the pen touched
          expect(pixels).toContain(Math.floor(y) * 64 + Math.floor(x))
        }
      ),
      { numRuns: 500 }
    )
  })

  it('a line 1 px wide leaves ink in every column it crosses (no gaps)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 35, max: 65, noNaN: true }),
        fc.double({ min: -0.4, max: 0.4, noNaN: true }),
        (y, slope) => {
          // A 3 px pen at pressure 0.21: 0.5 + 2.5 * 0.21 = 1.025 px wide.
          const points = Array.from({ length: 40 }, (_, i) => pt(10 + i * 2, y + i * 2 * slope, 0.21))
          const columns = new Set(
            Array.from(rasterizeStroke(stroke(points, 3), { width: 100, height: 100 }), (i) => i % 100)
          )
          // (the round caps at either end are only half a pixel long)
          for (let x = 11; x <= 87; x++) expect(columns.has(x)).toBe(true)
        }
      ),
      { numRuns: 200 }
    )
  })

  it('is wider where the pen presses harder, up to the nominal size', () => {
    const line = (pressure: number) => Array.from({ length: 30 }, (_, i) => pt(10 + i * 3, 50, pressure))
    const rows = (p: number) =>
      new Set(Array.from(rasterizeStroke(stroke(line(p), 12), { width: 120, height: 100 }), (i) => Math.floor(i / 120)))
    expect(rows(0.1).size).toBeLessThan(rows(0.5).size)
    expect(rows(0.5).size).toBeLessThan(rows(1).size)
    expect(rows(1).size).toBeGreaterThanOrEqual(11)
    expect(rows(1).size).toBeLessThanOrEqual(13)
  })

  it('draws a tap as a dot centred on the pen, and a stroke through its points', () => {
    const dot = pixelsOf(rasterizeStroke(stroke([pt(20.5, 30.5, 1)], 5), { width: 64, height: 64 }), 64)
    const xs = dot.map(([x]) => x)
    const ys = dot.map(([, y]) => y)
    expect((Math.min(...xs) + Math.max(...xs)) / 2).toBe(20)
    expect((Math.min(...ys) + Math.max(...ys)) / 2).toBe(30)
    const diagonal = stroke(
      Array.from({ length: 20 }, (_, i) => pt(5 + i * 2, 5 + i * 2, 0.7)),
      3
    )
    const covered = new Set(rasterizeStroke(diagonal, { width: 64, height: 64 }))
    for (let i = 2; i < 19; i++) expect(covered.has((5 + i * 2) * 64 + 5 + i * 2)).toBe(true)
  })

  it('is deterministic and empty for a stroke without points', () => {
    const s = stroke(
      Array.from({ length: 50 }, (_, i) =>
        pt(100 + 80 * Math.cos(i / 8), 100 + 80 * Math.sin(i / 8), 0.3 + (i % 7) / 10)
      ),
      6
    )
    expect(rasterizeStroke(s, { width: 200, height: 200 })).toEqual(
      rasterizeStroke(structuredClone(s), { width: 200, height: 200 })
    )
    expect(rasterizeStroke(stroke([]), { width: 10, height: 10 })).toEqual(new Int32Array(0))
  })
})
