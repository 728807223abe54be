import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DRILL_KINDS,
  drillFromId,
  drillId,
  generateDrill,
  parseDrillId,
  rasterizeShapes,
  type DrillKind,
  type Shape
} from '#shared/drills/index.ts'

const kindArb = fc.constantFrom(...DRILL_KINDS)
const frameArb = fc.record({ width: fc.integer({ min: 64, max: 1600 }), height: fc.integer({ min: 64, max: 1600 }) })

function shapeBounds(s: Shape): { x0: number; x1: number; y0: number; y1: number } {
  if (s.kind === 'segment')
    return {
      x0: Math.min(s.a.x, s.b.x),
      x1: Math.max(s.a.x, s.b.x),
      y0: Math.min(s.a.y, s.b.y),
      y1: Math.max(s.a.y, s.b.y)
    }
  if (s.kind === 'dot') return { x0: s.x, x1: s.x, y0: s.y, y1: s.y }
  const r = Math.max(s.rx, s.ry)
  return { x0: s.cx - r, x1: s.cx + r, y0: s.cy - r, y1: s.cy + r }
}

describe('drills', () => {
  it('are the same exercise for the same id, on any frame, and lie inside it', () => {
    fc.assert(
      fc.property(kindArb, fc.nat(), frameArb, (kind, seed, frame) => {
        const drill = generateDrill(kind, seed, frame)
        expect(drill.kind).toBe(kind)
        expect(drillFromId(drill.id, frame)).toEqual(drill)
        expect(parseDrillId(drill.id)).toEqual({ kind, seed: seed >>> 0 })
        // The horizon of a box spans the frame; everything else keeps inside it.
        for (const s of [...drill.answer, ...drill.display.filter((s) => !(s.kind === 'segment' && s.a.x === 0))]) {
          const b = shapeBounds(s)
          expect(b.x0).toBeGreaterThanOrEqual(0)
          expect(b.y0).toBeGreaterThanOrEqual(0)
          expect(b.x1).toBeLessThanOrEqual(frame.width)
          expect(b.y1).toBeLessThanOrEqual(frame.height)
        }
        expect(rasterizeShapes(drill.answer, frame.width, frame.height).some((v) => v === 1)).toBe(true)
        expect(drill.prompt.length).toBeGreaterThan(10)
      }),
      { numRuns: 300 }
    )
  })

  it('differ from seed to seed', () => {
    for (const kind of DRILL_KINDS) {
      const answers = new Set(
        Array.from({ length: 20 }, (_, seed) =>
          JSON.stringify(generateDrill(kind, seed, { width: 500, height: 500 }).answer)
        )
      )
      expect(answers.size, kind).toBeGreaterThan(15)
    }
  })

  it('refuse ids that are not drills', () => {
    for (const id of [
      'drill:ellipse',
      'drill:ellipse:-1',
      'drill:ellipse:4294967296',
      'drill:oval:3',
      'bundled:x',
      'drill:ellipse:1:2'
    ])
      expect(parseDrillId(id), id).toBeNull()
    expect(() => drillFromId('drill:nope:1', { width: 500, height: 500 })).toThrow('is not a drill')
    expect(drillId('box' as DrillKind, 2 ** 32 + 5)).toBe('drill:box:5')
  })

  it('rasterise a segment as the pixels whose centres lie within half its width', () => {
    const mask = rasterizeShapes([{ kind: 'segment', a: { x: 10, y: 10 }, b: { x: 30, y: 10 }, width: 3 }], 64, 64)
    const rows = new Set<number>()
    let count = 0
    for (let p = 0; p < mask.length; p++)
      if (mask[p]) {
        rows.add(Math.floor(p / 64))
        count++
      }
    // Centres at y 8.5, 9.5, 10.5, 11.5 are within 1.5 of y = 10 only for 8.5..11.5; x from 8.5 to 31.5.
    expect([...rows].sort((a, b) => a - b)).toEqual([8, 9, 10, 11])
    expect(count).toBeGreaterThan(80)
  })
})
