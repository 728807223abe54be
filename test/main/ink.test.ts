import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { inkByLegacyRule, inkByLuma, maskToPixels } from '#main/references/ink.ts'

describe('ink rules (spec section 1)', () => {
  it('uses luma with the spec weights and a strict threshold', () => {
    // Pure red: Y = 76.245 (ink at 128); pure green: 149.685 (not ink); pure blue: 29.07 (ink);
    // grey 128 has Y = 128 exactly, which is not below 128 (floating point would say 127.999...).
    const rgb = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 127, 127, 127, 128, 128, 128])
    expect([...inkByLuma(rgb, 3, 5)]).toEqual([1, 0, 1, 1, 0])
    expect([...inkByLuma(rgb, 3, 5, 150)]).toEqual([1, 1, 1, 1, 1])
    expect([...inkByLuma(rgb, 3, 5, 29)]).toEqual([0, 0, 0, 0, 0])
  })

  it('composites over white: transparent is background, opaque black is ink', () => {
    const rgba = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128, 0, 0, 0, 127])
    // alpha 128: Y = 255 * (1 - 128/255) = 127 -> ink; alpha 127: Y = 128 -> not ink.
    expect([...inkByLuma(rgba, 4, 4)]).toEqual([0, 1, 1, 0])
  })

  it('agrees with the formula in exact arithmetic on random pixels', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3, maxLength: 300 }), fc.integer({ min: 0, max: 256 }), (bytes, t) => {
        const n = Math.floor(bytes.length / 3)
        const mask = inkByLuma(bytes, 3, n, t)
        for (let p = 0; p < n; p++) {
          // Exact rational arithmetic: Y < t  <=>  299 R + 587 G + 114 B < 1000 t.
          const y1000 = 299 * bytes[3 * p] + 587 * bytes[3 * p + 1] + 114 * bytes[3 * p + 2]
          expect(mask[p]).toBe(y1000 < 1000 * t ? 1 : 0)
        }
      })
    )
  })

  it('legacy rule: red != 255 on white, alpha != 0 on transparent', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 254, 255, 255, 255, 255, 255, 255, 0, 0, 0, 0, 1])
    expect([...inkByLegacyRule(rgba, 4, 'white')]).toEqual([0, 1, 0, 1])
    expect([...inkByLegacyRule(rgba, 4, 'transparent')]).toEqual([1, 1, 0, 1])
  })

  it('lists ink pixels in ascending order', () => {
    expect([...maskToPixels(new Uint8Array([0, 1, 1, 0, 0, 1]))]).toEqual([1, 2, 5])
    expect(maskToPixels(new Uint8Array(4)).length).toBe(0)
  })
})
