import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BYTES_PER_POINT, packPoints, unpackPoints } from '#main/history/points.ts'
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

/** Bit-level equality: Object.is tells -0 from 0, which toEqual does not. */
function sameBits(a: StrokePoint[], b: StrokePoint[]): boolean {
  if (a.length !== b.length) return false
  const keys = ['x', 'y', 'pressure', 'tiltX', 'tiltY', 't'] as const
  return a.every((p, i) => keys.every((k) => Object.is(p[k], b[i][k])))
}

describe('stroke points as a BLOB', () => {
  it('come back bit-identical for any doubles', () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 300 }), (points) => {
        const bytes = packPoints(points)
        expect(bytes.length).toBe(points.length * BYTES_PER_POINT)
        expect(sameBits(unpackPoints(bytes), points)).toBe(true)
      }),
      { numRuns: 500 }
    )
  })

  it('use a fixed little-endian layout, x y pressure tiltX tiltY t', () => {
    const bytes = packPoints([{ x: 1, y: -2, pressure: 0.5, tiltX: -0, tiltY: 45, t: 16.7 }])
    const view = new DataView(bytes.buffer)
    expect([0, 8, 16, 24, 32, 40].map((o) => view.getFloat64(o, true))).toEqual([1, -2, 0.5, -0, 45, 16.7])
    expect(Object.is(view.getFloat64(24, true), -0)).toBe(true)
  })

  it('reads from a view into a larger buffer (as SQLite may hand it back)', () => {
    const points = [{ x: 3.25, y: 4.5, pressure: 1, tiltX: 0, tiltY: 0, t: 0 }]
    const inner = packPoints(points)
    const outer = new Uint8Array(inner.length + 16)
    outer.set(inner, 8)
    expect(unpackPoints(outer.subarray(8, 8 + inner.length))).toEqual(points)
  })

  it('refuses a BLOB that is not whole points', () => {
    expect(() => unpackPoints(new Uint8Array(47))).toThrow(/47 bytes, not a multiple of 48/)
  })
})
