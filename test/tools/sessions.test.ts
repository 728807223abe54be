// The project's session generator (tools/sessions/): valid logs in the documented format,
// deterministic, with exactly the strokes and edits asked for.
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addedStrokes, parseSessionLog, referenceMask } from '#main/evaluator/pixel-log.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { OracleSession } from '#test/main/evaluator/oracle.ts'
import { generateSession, strokesPerShape, type SessionOptions } from '#tools/sessions/generate.ts'
import { arcLengths, cut, densify } from '#tools/sessions/path.ts'
import { brushOffsets, stampPath, type Point } from '#tools/sessions/raster.ts'
import { SeededRandom } from '#tools/sessions/random.ts'
import { SCENARIOS } from '#tools/sessions/scenarios.ts'
import { makeSession } from '#tools/sessions/make-session.ts'

const optionsArb: fc.Arbitrary<SessionOptions> = fc
  .record({
    width: fc.integer({ min: 64, max: 160 }),
    height: fc.integer({ min: 64, max: 160 }),
    shapes: fc.integer({ min: 1, max: 6 }),
    extraStrokes: fc.integer({ min: 0, max: 30 }),
    thickness: fc.integer({ min: 1, max: 6 }),
    seed: fc.nat({ max: 0xffffffff }),
    edits: fc.option(
      fc.record({
        erase: fc.double({ min: 0, max: 1, noNaN: true }),
        undo: fc.double({ min: 0, max: 1, noNaN: true }),
        redo: fc.double({ min: 0, max: 1, noNaN: true })
      }),
      { nil: undefined }
    )
  })
  .map(({ extraStrokes, ...o }) => ({ name: 'prop', strokes: o.shapes + extraStrokes, ...o }))

describe('session generator', () => {
  it('writes logs the project parses, with exactly the strokes asked for, each with pixels', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const file = generateSession(o)
        const log = parseSessionLog(JSON.stringify(file), 'generated')
        expect([log.width, log.height]).toEqual([o.width, o.height])
        const adds = addedStrokes(log)
        expect(adds).toHaveLength(o.strokes)
        for (const a of adds) {
          expect(a.length).toBeGreaterThan(0)
          expect(new Set(a).size).toBe(a.length) // each pixel once per stroke
        }
        expect(log.reference.length).toBeGreaterThan(0)
        expect([...log.reference]).toEqual([...new Set(log.reference)].sort((a, b) => a - b))
        expect(file.strokes === undefined).toBe(o.edits !== undefined)
      }),
      { numRuns: 60 }
    )
  })

  it('is deterministic, and switching edits on leaves the pen strokes as they were', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const plain = generateSession({ ...o, edits: undefined })
        expect(JSON.stringify(generateSession({ ...o, edits: undefined }))).toBe(JSON.stringify(plain))
        const edited = generateSession({ ...o, edits: { erase: 0.5, undo: 0.5, redo: 0.5 } })
        expect(edited.reference).toEqual(plain.reference)
        expect(edited.events!.flatMap((e) => (e.op === 'add' ? [e.pixels] : []))).toEqual(plain.strokes)
      }),
      { numRuns: 40 }
    )
  })

  it('undoes only what was done and redoes only what was undone', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const file = generateSession({ ...o, edits: o.edits ?? { erase: 0.3, undo: 0.3, redo: 0.3 } })
        let done = 0,
          undone = 0
        for (const e of file.events!) {
          if (e.op === 'add' || e.op === 'erase') {
            expect(e.pixels.length).toBeGreaterThan(0)
            done++
            undone = 0
          } else if (e.op === 'undo') {
            expect(done).toBeGreaterThan(0)
            done--
            undone++
          } else {
            expect(undone).toBeGreaterThan(0)
            undone--
            done++
          }
        }
      }),
      { numRuns: 60 }
    )
  })

  it('mixes in each kind of edit at about the chance asked for', () => {
    const file = generateSession({ ...SCENARIOS.seed, edits: { erase: 0.2, undo: 0.1, redo: 0.5 } })
    const count = (op: string): number => file.events!.filter((e) => e.op === op).length
    expect(count('add')).toBe(150)
    expect(count('erase')).toBeGreaterThan(15) // 30 expected
    expect(count('erase')).toBeLessThan(45)
    expect(count('undo')).toBeGreaterThan(7) // 15 undo choices of 1-2 steps each
    expect(count('undo')).toBeLessThan(45)
    expect(count('redo')).toBeGreaterThan(0)
    expect(count('redo')).toBeLessThanOrEqual(count('undo'))
    const none = generateSession({ ...SCENARIOS.seed, edits: { erase: 0, undo: 0, redo: 0 } })
    expect(none.events!.every((e) => e.op === 'add')).toBe(true)
  })

  it('gives sessions the streaming evaluator scores exactly as a full recomputation does', () => {
    fc.assert(
      fc.property(optionsArb, (o) => {
        const file = generateSession({ ...o, edits: o.edits ?? { erase: 0.3, undo: 0.2, redo: 0.5 } })
        const log = parseSessionLog(JSON.stringify(file), 'generated')
        const mask = referenceMask(log)
        const fast = new StreamingEvaluator(mask, log.width, log.height)
        const slow = new OracleSession(mask, log.width, log.height)
        for (const e of log.events) {
          if (e.op === 'undo' || e.op === 'redo') {
            fast[e.op]()
            slow[e.op]()
          } else {
            fast[e.op](e.pixels)
            slow[e.op](e.pixels)
          }
          expect(fast.evaluation()).toEqual(slow.evaluation())
        }
        fast.dispose()
      }),
      { numRuns: 15 }
    )
  })

  it('keeps the named scenarios as they were (tests pin counters measured on them)', () => {
    // Any change to the generator changes these, and with them the figures the tests pin
    // (work counters, the replay's scores): change them together, on purpose.
    const digest = (o: SessionOptions): string =>
      createHash('sha256')
        .update(JSON.stringify(generateSession(o)))
        .digest('hex')
        .slice(0, 16)
    const sizes = (o: SessionOptions): number[] => {
      const f = generateSession(o)
      return [f.reference.length, f.strokes!.length, f.strokes!.reduce((a, s) => a + s.length, 0)]
    }
    expect(sizes(SCENARIOS.seed)).toEqual([2292, 150, 2575])
    expect(sizes(SCENARIOS.realistic)).toEqual([16371, 150, 19914])
    expect(digest(SCENARIOS.seed)).toBe('a9c82cdb35be5ccb')
    expect(digest(SCENARIOS.realistic)).toBe('39f62a2eaead5281')
  })

  it('refuses options it cannot honour, naming the option', () => {
    const seed = SCENARIOS.seed
    expect(() => generateSession({ ...seed, width: 63 })).toThrow(
      /width must be a whole number from 64 to 4096, not 63/
    )
    expect(() => generateSession({ ...seed, height: 4097 })).toThrow(/height .* not 4097/)
    expect(() => generateSession({ ...seed, strokes: 6 })).toThrow(/strokes must be a whole number from 7 /)
    expect(() => generateSession({ ...seed, shapes: 0 })).toThrow(/shapes .* not 0/)
    expect(() => generateSession({ ...seed, thickness: 0 })).toThrow(/thickness .* from 1 to 32, not 0/)
    expect(() => generateSession({ ...seed, thickness: 2.5 })).toThrow(/thickness .* not 2.5/)
    expect(() => generateSession({ ...seed, seed: -1 })).toThrow(/seed .* not -1/)
    expect(() => generateSession({ ...seed, edits: { erase: 1.5, undo: 0, redo: 0 } })).toThrow(
      /erase chance must be from 0 to 1, not 1.5/
    )
    expect(() => generateSession({ ...seed, edits: { erase: 0, undo: NaN, redo: 0 } })).toThrow(/undo chance/)
  })
})

describe('brush and paths', () => {
  it('a brush t pixels across is a disc exactly t pixels wide and tall, symmetric', () => {
    expect([1, 2, 3, 4, 5].map((t) => brushOffsets(t).length)).toEqual([1, 4, 9, 12, 21])
    for (let t = 1; t <= 12; t++) {
      const b = brushOffsets(t)
      const xs = b.map((p) => p.x),
        ys = b.map((p) => p.y)
      expect(Math.max(...xs) - Math.min(...xs) + 1).toBe(t)
      expect(Math.max(...ys) - Math.min(...ys) + 1).toBe(t)
      // Mirror image about the disc's centre (a pixel centre when t is odd, a corner when even).
      const m = t % 2 === 0 ? -1 : 0
      const key = (p: Point): string => `${p.x},${p.y}`
      const set = new Set(b.map(key))
      for (const p of b) expect(set.has(key({ x: m - p.x, y: m - p.y }))).toBe(true)
    }
  })

  it('a 1 px line has no gaps, passes through every vertex and stays in the frame', () => {
    const pointArb = fc.record({
      x: fc.double({ min: -20, max: 120, noNaN: true }),
      y: fc.double({ min: -20, max: 120, noNaN: true })
    })
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 2, maxLength: 8 }), (raw) => {
        const path = raw.map((p) => ({ x: Math.min(99, Math.max(0, p.x)), y: Math.min(99, Math.max(0, p.y)) }))
        const px = stampPath(path, brushOffsets(1), 100, 100)
        const set = new Set(px)
        expect(set.size).toBe(px.length)
        for (const p of path) expect(set.has(Math.round(p.y) * 100 + Math.round(p.x))).toBe(true)
        // 8-connected: a flood over neighbours reaches every pixel from the first.
        const seen = new Set([px[0]])
        const todo = [px[0]]
        while (todo.length) {
          const p = todo.pop()!
          const x = p % 100,
            y = Math.floor(p / 100)
          for (let dy = -1; dy <= 1; dy++)
            for (let dx = -1; dx <= 1; dx++) {
              const q = (y + dy) * 100 + x + dx
              if (x + dx >= 0 && x + dx < 100 && set.has(q) && !seen.has(q)) {
                seen.add(q)
                todo.push(q)
              }
            }
        }
        expect(seen.size).toBe(set.size)
      })
    )
  })

  it('clips to the frame: a line across it keeps only the pixels inside', () => {
    const px = stampPath(
      [
        { x: -10, y: 5 },
        { x: 80, y: 5 }
      ],
      brushOffsets(3),
      64,
      64
    )
    expect(px.length).toBe(64 * 3)
    expect(px.every((p) => p >= 4 * 64 && p < 7 * 64)).toBe(true)
  })

  it('cuts a path into pieces of equal length that meet end to start', () => {
    const pointArb = fc.record({
      x: fc.double({ min: 0, max: 100, noNaN: true }),
      y: fc.double({ min: 0, max: 100, noNaN: true })
    })
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 2, maxLength: 10 }), fc.integer({ min: 1, max: 12 }), (path, k) => {
        const total = arcLengths(path).at(-1)!
        const pieces = cut(path, k)
        expect(pieces).toHaveLength(k)
        for (const piece of pieces) expect(arcLengths(piece).at(-1)!).toBeCloseTo(total / k, 6)
        for (let i = 1; i < k; i++) expect(pieces[i][0]).toEqual(pieces[i - 1].at(-1))
        expect(pieces[0][0]).toEqual(path[0])
        const end = pieces[k - 1].at(-1)!
        expect(end.x).toBeCloseTo(path.at(-1)!.x, 9)
        expect(end.y).toBeCloseTo(path.at(-1)!.y, 9)
      })
    )
  })

  it('densifies without moving the path', () => {
    const path = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 7 }
    ]
    const dense = densify(path, 2)
    expect(dense).toHaveLength(1 + 5 + 4)
    expect(arcLengths(dense).at(-1)).toBeCloseTo(17, 12)
    for (let i = 1; i < dense.length; i++)
      expect(Math.hypot(dense[i].x - dense[i - 1].x, dense[i].y - dense[i - 1].y)).toBeLessThanOrEqual(2)
  })

  it('shares strokes among shapes by length, at least one each, adding up exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 300 }),
        (lengths, extra) => {
          const total = lengths.length + extra
          const counts = strokesPerShape(lengths, total)
          expect(counts.reduce((a, v) => a + v, 0)).toBe(total)
          const sum = lengths.reduce((a, v) => a + v, 0)
          counts.forEach((c, i) => {
            const quota = sum > 0 ? (extra * lengths[i]) / sum : extra / lengths.length
            expect(c).toBeGreaterThanOrEqual(1 + Math.floor(quota))
            expect(c).toBeLessThanOrEqual(2 + Math.floor(quota))
          })
        }
      )
    )
    expect(strokesPerShape([100, 300], 10)).toEqual([3, 7])
  })
})

describe('seeded random source', () => {
  it('repeats itself for a seed, differs between seeds, and stays in [0, 1)', () => {
    const take = (seed: number): number[] => {
      const r = new SeededRandom(seed)
      return Array.from({ length: 1000 }, () => r.next())
    }
    expect(take(42)).toEqual(take(42))
    expect(take(42)).not.toEqual(take(43))
    const xs = take(7)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((a, v) => a + v, 0) / xs.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05)
    expect(() => new SeededRandom(2 ** 32)).toThrow(/seed must be a whole number/)
  })
})

describe('make-session command line', () => {
  it('starts from a scenario and overrides what is given', () => {
    const { options, out } = makeSession([
      'realistic',
      'r.json',
      '--side',
      '300',
      '--seed',
      '5',
      '--edits',
      '0.1,0.2,0.3'
    ])
    expect(out).toBe('r.json')
    expect(options).toEqual({
      ...SCENARIOS.realistic,
      width: 300,
      height: 300,
      seed: 5,
      edits: { erase: 0.1, undo: 0.2, redo: 0.3 }
    })
  })

  it('says what is wrong with its arguments', () => {
    expect(() => makeSession(['nope', 'x.json'])).toThrow(/usage: make-session SCENARIO/)
    expect(() => makeSession(['seed'])).toThrow(/usage/)
    expect(() => makeSession(['seed', 'x.json', '--strokes', 'many'])).toThrow(/--strokes: "many" is not a number/)
    expect(() => makeSession(['seed', 'x.json', '--edits', '0.1,0.2'])).toThrow(/three chances/)
    expect(() => makeSession(['seed', 'x.json', '--colour', 'red'])).toThrow(/colour/)
  })
})
