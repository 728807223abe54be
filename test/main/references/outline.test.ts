import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { edgeStrength, outlineMask, thinLines } from '#main/references/outline.ts'

/** A white image with a dark filled rectangle: columns x0..x1-1, rows y0..y1-1. */
function rectangle(w: number, h: number, x0: number, y0: number, x1: number, y1: number, dark = 0): Uint8Array {
  const img = new Uint8Array(w * h).fill(255)
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img[y * w + x] = dark
  return img
}

describe('outline: edge strength with thinning', () => {
  it('finds nothing in a flat image, and the image border is not an edge', () => {
    for (const v of [0, 77, 255])
      expect(edgeStrength(new Uint8Array(30 * 20).fill(v), 30, 20).every((s) => s === 0)).toBe(true)
  })

  it('marks each side of a rectangle with a one-pixel line of the step height', () => {
    const [w, h] = [40, 30]
    const s = edgeStrength(rectangle(w, h, 10, 8, 30, 22, 55), w, h)
    for (let y = 11; y < 19; y++) {
      const row = [...s.subarray(y * w, (y + 1) * w)]
      const on = row.flatMap((v, x) => (v > 0 ? [x] : []))
      // One pixel at the left side (9 or 10) and one at the right (29 or 30); nothing else.
      expect(on).toHaveLength(2)
      expect(Math.abs(on[0] - 9.5)).toBe(0.5)
      expect(Math.abs(on[1] - 29.5)).toBe(0.5)
      // An unblurred step from 55 to 255 measures 200.
      expect(row[on[0]]).toBeCloseTo(200, 4)
    }
    for (let x = 13; x < 27; x++) {
      const col = Array.from({ length: h }, (_, y) => s[y * w + x])
      expect(col.filter((v) => v > 0)).toHaveLength(2)
    }
  })
})

describe('outline: two-level threshold', () => {
  // The plain definition: start from the strong pixels, keep adding weak neighbours until nothing changes.
  function naive(strength: Float32Array, w: number, h: number, t: number): Uint8Array {
    const mask = Uint8Array.from(strength, (v) => (v >= t ? 1 : 0))
    for (let changed = true; changed;) {
      changed = false
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const p = y * w + x
          if (mask[p] || strength[p] < t / 2) continue
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const yy = y + dy
              const xx = x + dx
              if (yy >= 0 && yy < h && xx >= 0 && xx < w && mask[yy * w + xx]) {
                mask[p] = 1
                changed = true
              }
            }
          }
        }
      }
    }
    return mask
  }

  it('keeps strong pixels and the weak ones connected to them, nothing else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 144, maxLength: 144 }),
        (w, h, t, values) => {
          const strength = Float32Array.from(values.slice(0, w * h))
          expect(outlineMask(strength, w, h, t)).toEqual(naive(strength, w, h, t))
        }
      )
    )
  })
})

describe('outline: lines thinned to one pixel', () => {
  /** 8-connected components of a mask, as a label per pixel (0 = none) and their count. */
  function components(mask: Uint8Array, w: number, h: number): { label: Int32Array; count: number } {
    const label = new Int32Array(mask.length)
    let count = 0
    for (let s = 0; s < mask.length; s++) {
      if (!mask[s] || label[s]) continue
      label[s] = ++count
      const queue = [s]
      while (queue.length > 0) {
        const q = queue.pop()!
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const x = (q % w) + dx
            const y = Math.floor(q / w) + dy
            if (x < 0 || y < 0 || x >= w || y >= h) continue
            const r = y * w + x
            if (mask[r] && !label[r]) {
              label[r] = count
              queue.push(r)
            }
          }
      }
    }
    return { label, count }
  }

  it('makes a thick bar a one-pixel line along its length', () => {
    const [w, h] = [60, 20]
    const bar = rectangle(w, h, 5, 6, 55, 13).map((v) => (v === 0 ? 1 : 0))
    const thin = thinLines(bar, w, h)
    for (let x = 12; x < 48; x++) {
      let n = 0
      for (let y = 0; y < h; y++) n += thin[y * w + x]
      expect(n).toBe(1)
    }
  })

  it('keeps only ink, never splits a line or loses one, and leaves a one-pixel line as it is (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 24 }),
        fc.integer({ min: 3, max: 24 }),
        fc.array(fc.boolean(), { minLength: 576, maxLength: 576 }),
        (w, h, bits) => {
          const mask = Uint8Array.from(bits.slice(0, w * h), (b) => (b ? 1 : 0))
          const thin = thinLines(mask, w, h)
          for (let p = 0; p < mask.length; p++) if (thin[p]) expect(mask[p]).toBe(1)
          // Every component of the ink keeps pixels, and still one component: none split, none lost.
          const before = components(mask, w, h)
          const after = components(thin, w, h)
          expect(after.count).toBe(before.count)
          const owners = new Set<number>()
          for (let p = 0; p < mask.length; p++) if (thin[p]) owners.add(before.label[p])
          expect(owners.size).toBe(before.count)
          // Thinning what is thin already changes nothing.
          expect(thinLines(thin, w, h)).toEqual(thin)
        }
      ),
      { numRuns: 300 }
    )
  })
})
