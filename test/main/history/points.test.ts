import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  BYTES_PER_POINT,
  LATTICE,
  packPoints,
  packRaw,
  RAW_F64,
  strokeProblem,
  unpackPoints,
  unpackRaw
} from '#main/history/points.ts'
import { POINT_STEPS, snapPoint, snapStroke } from '#shared/stroke/snap.ts'
import type { StrokePoint } from '#shared/stroke/types.ts'

const anyDouble = fc.double({ noNaN: true }) // includes -0, +-Infinity, subnormals, extremes
const point = fc.record({
  x: anyDouble,
  y: anyDouble,
  pressure: anyDouble,
  tiltX: anyDouble,
  tiltY: anyDouble,
  t: anyDouble
})

/** A point as the studio is sent one: within the API's bounds, full-precision doubles. */
const penPoint = fc.record({
  x: fc.double({ min: -20_000, max: 20_000, noNaN: true }),
  y: fc.double({ min: -20_000, max: 20_000, noNaN: true }),
  pressure: fc.double({ min: 0, max: 1, noNaN: true }),
  tiltX: fc.double({ min: -90, max: 90, noNaN: true }),
  tiltY: fc.double({ min: -90, max: 90, noNaN: true }),
  t: fc.double({ min: 0, max: 86_400_000, noNaN: true })
})

/** Bit-level equality: Object.is tells -0 from 0, which toEqual does not. */
function sameBits(a: StrokePoint[], b: StrokePoint[]): boolean {
  if (a.length !== b.length) return false
  const keys = ['x', 'y', 'pressure', 'tiltX', 'tiltY', 't'] as const
  return a.every((p, i) => keys.every((k) => Object.is(p[k], b[i][k])))
}

/** A smooth pen line at 240 Hz, snapped as the studio snaps every point it is sent. */
function penLine(n: number, seed: number): StrokePoint[] {
  let x = 100 + seed
  let y = 200
  let heading = seed
  return Array.from({ length: n }, (_, i) => {
    heading += Math.sin(i * 0.37 + seed) * 0.1
    x += Math.cos(heading) * 1.7
    y += Math.sin(heading) * 1.7
    return snapPoint({ x, y, pressure: 0.3 + 0.4 * Math.sin(i / 20), tiltX: 35, tiltY: -12, t: i * 4.1666 })
  })
}

describe('stroke points as a BLOB', () => {
  it('come back bit-identical for any doubles (raw, 48 bytes a point)', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 300 }), (points) => {
        const packed = packPoints(points)
        expect(packed.codec === RAW_F64 || points.every((p) => Object.values(p).every(Number.isFinite))).toBe(true)
        expect(sameBits(unpackPoints(packed.codec, packed.bytes), points)).toBe(true)
        expect(packRaw(points).length).toBe(points.length * BYTES_PER_POINT)
        expect(sameBits(unpackRaw(packRaw(points)), points)).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it('come back bit-identical in the lattice codec for every snapped stroke, extremes included', () => {
    fc.assert(
      fc.property(fc.array(penPoint, { minLength: 1, maxLength: 300 }), (raw) => {
        const points = raw.map(snapPoint)
        const packed = packPoints(points)
        expect(packed.codec).toBe(LATTICE)
        expect(sameBits(unpackPoints(LATTICE, packed.bytes), points)).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it('store a stroke raw when any value is off the lattice, or is -0', () => {
    const points = penLine(10, 1)
    expect(packPoints(points).codec).toBe(LATTICE)
    expect(packPoints([...points, { ...points[0], x: points[0].x + 1e-9 }]).codec).toBe(RAW_F64)
    expect(packPoints([{ ...points[0], tiltX: -0 }]).codec).toBe(RAW_F64)
    expect(snapPoint({ ...points[0], tiltX: -0 }).tiltX).toBe(0)
    expect(Object.is(snapPoint({ ...points[0], tiltX: -0.001 }).tiltX, 0)).toBe(true)
  })

  it('take about 9 bytes a point for a pen line instead of 48', () => {
    const points = penLine(200, 3)
    const packed = packPoints(points)
    expect(packed.codec).toBe(LATTICE)
    expect(packed.bytes.length / points.length).toBeLessThan(10)
    expect(sameBits(unpackPoints(LATTICE, packed.bytes), points)).toBe(true)
  })

  it('snap to a lattice no finer than it stores, once and for all', () => {
    fc.assert(
      fc.property(penPoint, (p) => {
        const s = snapPoint(p)
        expect(snapPoint(s)).toEqual(s)
        for (const k of Object.keys(POINT_STEPS) as (keyof StrokePoint)[]) {
          expect(Math.abs(s[k] - p[k])).toBeLessThanOrEqual(0.5 / POINT_STEPS[k])
          expect(Number.isInteger(s[k] * POINT_STEPS[k])).toBe(true)
        }
      }),
      { numRuns: 1000 }
    )
    const stroke = { tool: 'pen' as const, size: 3, points: penLine(5, 2) }
    expect(snapStroke(stroke)).toEqual(stroke)
  })

  it('use a fixed little-endian layout for raw points, x y pressure tiltX tiltY t', () => {
    const bytes = packRaw([{ x: 1, y: -2, pressure: 0.5, tiltX: -0, tiltY: 45, t: 16.7 }])
    const view = new DataView(bytes.buffer)
    expect([0, 8, 16, 24, 32, 40].map((o) => view.getFloat64(o, true))).toEqual([1, -2, 0.5, -0, 45, 16.7])
    expect(Object.is(view.getFloat64(24, true), -0)).toBe(true)
  })

  it('read from a view into a larger buffer (as SQLite may hand it back)', () => {
    const points = [{ x: 3.25, y: 4.5, pressure: 1, tiltX: 0, tiltY: 0, t: 0 }]
    for (const { codec, bytes } of [packPoints(points), { codec: RAW_F64, bytes: packRaw(points) }]) {
      const outer = new Uint8Array(bytes.length + 16)
      outer.set(bytes, 8)
      expect(unpackPoints(codec, outer.subarray(8, 8 + bytes.length))).toEqual(points)
    }
  })

  it('refuse a BLOB that is not a stroke: partial, truncated, trailing bytes, unknown codec', () => {
    expect(() => unpackPoints(RAW_F64, new Uint8Array(47))).toThrow(/47 bytes, not a multiple of 48/)
    const { bytes } = packPoints(penLine(20, 5))
    expect(() => unpackPoints(LATTICE, bytes.subarray(0, bytes.length - 3))).toThrow(RangeError)
    expect(() => unpackPoints(LATTICE, Uint8Array.from([...bytes, 0]))).toThrow(/1 bytes too many/)
    expect(() =>
      unpackPoints(LATTICE, Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))
    ).toThrow(RangeError)
    expect(() => unpackPoints(7, bytes)).toThrow(/unknown format \(7\)/)
  })

  it('name what is wrong with stored numbers the studio would never have accepted', () => {
    const ok = penLine(3, 1)
    expect(strokeProblem(3, ok)).toBeNull()
    expect(strokeProblem(NaN, ok)).toMatch(/size is NaN/)
    expect(strokeProblem(3, [])).toMatch(/no points/)
    expect(strokeProblem(3, [...ok, { ...ok[0], y: NaN }])).toMatch(/point 4 has y NaN/)
    expect(strokeProblem(3, [{ ...ok[0], pressure: 2 }])).toMatch(/pressure 2/)
    expect(strokeProblem(3, [{ ...ok[0], t: Infinity }])).toMatch(/t Infinity/)
  })
})
