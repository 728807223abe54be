// The width of the shared outline: a hairline at no pressure, the tool's size at full pressure,
// linear in the (curved) pressure between; erasers and dots as described in outline.ts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HAIRLINE_PX, penWidth, strokeOutline, type Outline } from '#shared/stroke/outline.ts'
import { curvePressure, isPlaceholderPressure, PRESSURE_CURVES } from '#shared/stroke/pressure.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import type { Stroke, StrokePoint } from '#shared/stroke/types.ts'

const pt = (x: number, y: number, pressure: number): StrokePoint => ({ x, y, pressure, tiltX: 0, tiltY: 0, t: 0 })

/** The outline's extent along the vertical line x = xc (the polygon's crossings, outermost pair). */
function heightAt(outline: Outline, xc: number): number {
  const ys: number[] = []
  for (let i = 0; i < outline.length; i++) {
    const [x0, y0] = outline[i]
    const [x1, y1] = outline[(i + 1) % outline.length]
    if ((x0 <= xc && xc < x1) || (x1 <= xc && xc < x0)) ys.push(y0 + ((xc - x0) * (y1 - y0)) / (x1 - x0))
  }
  return Math.max(...ys) - Math.min(...ys)
}

const hline = (tool: Stroke['tool'], size: number, pressure: number): Stroke => ({
  tool,
  size,
  points: Array.from({ length: 40 }, (_, i) => pt(20 + i * 4, 50, pressure))
})

describe('the outline width', () => {
  it('is the hairline plus the pressure’s share of the rest, across a straight line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 1.5, 2, 3, 4, 6, 8, 12),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (size, pressure) => {
          const width = heightAt(strokeOutline(hline('pen', size, pressure)), 100.25)
          expect(width).toBeCloseTo(HAIRLINE_PX + (size - HAIRLINE_PX) * pressure, 9)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('gives the default 3 px pen a ladder from a hairline to 3 px (worked numbers)', () => {
    const ladder = [0.05, 0.25, 0.5, 0.75, 1].map((p) => heightAt(strokeOutline(hline('pen', 3, p)), 100.25))
    ladder.forEach((w, i) => expect(w).toBeCloseTo([0.625, 1.125, 1.75, 2.375, 3][i], 9))
    expect(ladder[4] / ladder[0]).toBeGreaterThanOrEqual(4)
    expect(penWidth(3, 0)).toBe(0.5)
    expect(penWidth(0.25, 0.7)).toBe(0.25) // a pen thinner than the hairline is its size
  })

  it('keeps an eraser at its full size whatever the pressure', () => {
    for (const pressure of [0, 0.3, 1])
      expect(heightAt(strokeOutline(hline('eraser', 16, pressure)), 100.25)).toBeCloseTo(16, 9)
  })

  it('inks a tap with a little jitter, however light, at most a pixel from where the pen touched', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 5, max: 58, noNaN: true }),
        fc.double({ min: 5, max: 58, noNaN: true }),
        fc.array(
          fc.tuple(fc.double({ min: -0.6, max: 0.6, noNaN: true }), fc.double({ min: -0.6, max: 0.6, noNaN: true })),
          {
            maxLength: 6
          }
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, y, jitter, pressure) => {
          const points = [pt(x, y, pressure), ...jitter.map(([dx, dy]) => pt(x + dx, y + dy, pressure))]
          const pixels = rasterizeStroke({ tool: 'pen', size: 1, points }, { width: 64, height: 64 })
          expect(pixels.length).toBeGreaterThan(0)
          for (const p of pixels) {
            expect(Math.abs((p % 64) - Math.floor(x))).toBeLessThanOrEqual(2)
            expect(Math.abs(Math.floor(p / 64) - Math.floor(y))).toBeLessThanOrEqual(2)
          }
          const near = (p: number) =>
            Math.abs((p % 64) - Math.floor(x)) <= 1 && Math.abs(Math.floor(p / 64) - Math.floor(y)) <= 1
          expect(Array.from(pixels).some(near)).toBe(true)
        }
      ),
      { numRuns: 400 }
    )
  })
})

describe('pressure curves', () => {
  it('keep 0 and 1, increase, and order soft above linear above firm', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        for (const curve of PRESSURE_CURVES) {
          expect(curvePressure(curve, lo)).toBeLessThanOrEqual(curvePressure(curve, hi))
          expect(curvePressure(curve, 0)).toBe(0)
          expect(curvePressure(curve, 1)).toBe(1)
        }
        expect(curvePressure('soft', a)).toBeGreaterThanOrEqual(curvePressure('linear', a))
        expect(curvePressure('linear', a)).toBeGreaterThanOrEqual(curvePressure('firm', a))
      })
    )
    expect(curvePressure('soft', 0.25)).toBe(0.5)
    expect(curvePressure('firm', 0.5)).toBe(0.25)
    expect(curvePressure('linear', Number.NaN)).toBe(0)
    expect(curvePressure('linear', 7)).toBe(1)
  })

  it('name the pressures a device without pressure reports', () => {
    expect([0, 0.5, 1].every(isPlaceholderPressure)).toBe(true)
    expect([0.05, 0.499, 0.75].some(isPlaceholderPressure)).toBe(false)
  })
})
