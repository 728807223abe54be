// The project's own synthetic drawing sessions, in the pixel session-log format (docs/pixel-log.md):
// a still life as the reference, and an imperfect copy of it drawn stroke by stroke with a round
// brush, optionally with eraser swipes, undos and redos in between. Deterministic: the same
// options give the same session, byte for byte, on any machine.
import { MAX_FRAME_SIDE, MIN_FRAME_SIDE } from '#main/evaluator/core/frame.ts'
import { SeededRandom } from './random.ts'
import { brushOffsets, stampPath, type Point } from './raster.ts'
import { arcLengths, cut, slice } from './path.ts'
import { copyShape, stillLife } from './still-life.ts'

/** Chances, after each pen stroke, of an eraser swipe, of undoing (one or two steps) and of a redo. */
export interface EditMix {
  erase: number
  undo: number
  redo: number
}

export interface SessionOptions {
  name: string
  width: number
  height: number
  /** Pen strokes in the copy (at least one per shape). */
  strokes: number
  /** Shapes in the still life. */
  shapes: number
  /** Brush diameter in pixels, for the reference and the copy alike. */
  thickness: number
  seed: number
  /** Without it the log has `strokes` only (add-only); with it, `events`. */
  edits?: EditMix
}

type SessionEventJson = { op: 'add' | 'erase'; pixels: number[] } | { op: 'undo' } | { op: 'redo' }

/** A session log as written to a file (docs/pixel-log.md). */
export interface SessionFile {
  name: string
  width: number
  height: number
  reference: number[]
  strokes?: number[][]
  events?: SessionEventJson[]
}

const MAX_THICKNESS = 32
/** How far (of the frame's short side) the copy's line drifts from where the hand meant it. */
const WOBBLE = 0.004
/** Edits come from their own random stream: switching them on leaves the pen strokes as they were. */
const EDIT_STREAM = 0x9e3779b9

export function generateSession(options: SessionOptions): SessionFile {
  checkOptions(options)
  const { name, width, height, strokes, shapes, thickness, seed, edits } = options
  const rng = new SeededRandom(seed)
  const brush = brushOffsets(thickness)
  const life = stillLife(rng, width, height, shapes)

  const referenceSet = new Set<number>()
  for (const s of life) for (const p of stampPath(s.path, brush, width, height)) referenceSet.add(p)
  const reference = [...referenceSet].sort((a, b) => a - b)

  // The copy stays on the canvas (a pen cannot leave it), so every stroke has pixels.
  const unit = Math.min(width, height)
  const inFrame = (p: Point): Point => ({
    x: Math.min(width - 1, Math.max(0, p.x)),
    y: Math.min(height - 1, Math.max(0, p.y))
  })
  const copies = life.map((s) => copyShape(rng, s, unit, WOBBLE).map(inFrame))
  const counts = strokesPerShape(
    copies.map((c) => arcLengths(c).at(-1)!),
    strokes
  )
  const paths = copies.flatMap((c, i) => cut(c, counts[i]))
  const penStrokes = paths.map((p) => stampPath(p, brush, width, height))

  if (!edits) return { name, width, height, reference, strokes: penStrokes }
  return { name, width, height, reference, events: withEdits(penStrokes, paths, edits, options) }
}

/**
 * One stroke per shape, the rest shared out in proportion to the shapes' lengths (largest
 * remainders), so the counts add up to `total` exactly.
 */
export function strokesPerShape(lengths: readonly number[], total: number): number[] {
  const spare = total - lengths.length
  const sum = lengths.reduce((a, v) => a + v, 0)
  const quotas = lengths.map((l) => (sum > 0 ? (spare * l) / sum : spare / lengths.length))
  const counts = quotas.map((q) => 1 + Math.floor(q))
  let left = total - counts.reduce((a, v) => a + v, 0)
  const byRemainder = quotas.map((q, i) => ({ i, r: q - Math.floor(q) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of byRemainder) {
    if (left <= 0) break
    counts[i]++
    left--
  }
  return counts
}

function withEdits(
  penStrokes: number[][],
  paths: Point[][],
  mix: EditMix,
  { width, height, thickness, seed }: SessionOptions
): SessionEventJson[] {
  const rng = new SeededRandom((seed ^ EDIT_STREAM) >>> 0)
  const eraser = brushOffsets(Math.min(MAX_THICKNESS, Math.max(3, 3 * thickness)))
  const events: SessionEventJson[] = []
  let done = 0, // edits that can be undone
    undone = 0 // edits that can be redone
  penStrokes.forEach((pixels, i) => {
    events.push({ op: 'add', pixels })
    done++
    undone = 0
    if (rng.chance(mix.erase)) {
      // A swipe over part of one of the last few strokes.
      const target = paths[i - rng.below(Math.min(5, i + 1))]
      const length = arcLengths(target).at(-1)!
      const from = rng.between(0, 0.6) * length
      const swipe = slice(target, from, from + rng.between(0.2, 0.6) * length)
      events.push({ op: 'erase', pixels: stampPath(swipe, eraser, width, height) })
      done++
      undone = 0
    }
    if (rng.chance(mix.undo)) {
      const steps = Math.min(done, 1 + rng.below(2))
      for (let k = 0; k < steps; k++) events.push({ op: 'undo' })
      done -= steps
      undone += steps
    }
    if (undone > 0 && rng.chance(mix.redo)) {
      events.push({ op: 'redo' })
      done++
      undone--
    }
  })
  return events
}

function checkOptions(o: SessionOptions): void {
  const whole = (what: string, v: number, lo: number, hi: number): void => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`session ${o.name}: ${what} must be a whole number from ${lo} to ${hi}, not ${v}`)
  }
  whole('width', o.width, MIN_FRAME_SIDE, MAX_FRAME_SIDE)
  whole('height', o.height, MIN_FRAME_SIDE, MAX_FRAME_SIDE)
  whole('shapes', o.shapes, 1, 1000)
  // One stroke at least per shape.
  whole('strokes', o.strokes, o.shapes, 100_000)
  whole('thickness', o.thickness, 1, MAX_THICKNESS)
  whole('seed', o.seed, 0, 0xffffffff)
  if (o.edits)
    for (const k of ['erase', 'undo', 'redo'] as const) {
      const p = o.edits[k]
      if (!(p >= 0 && p <= 1)) throw new RangeError(`session ${o.name}: the ${k} chance must be from 0 to 1, not ${p}`)
    }
}

/** One line for people: "seed: 500 x 500, reference 2,345 px, 150 strokes (2,401 px), 0 edits". */
export function describeSession(file: SessionFile): string {
  const adds = [...(file.strokes ?? [])]
  let edits = 0
  for (const e of file.events ?? []) {
    if (e.op === 'add') adds.push(e.pixels)
    else edits++
  }
  const px = adds.reduce((a, s) => a + s.length, 0)
  const n = (v: number): string => v.toLocaleString('en-US')
  return (
    `${file.name}: ${file.width} x ${file.height}, reference ${n(file.reference.length)} px, ` +
    `${n(adds.length)} strokes (${n(px)} px), ${n(edits)} erase/undo/redo events`
  )
}
