// What one stroke costs the main side before the evaluator sees it: its outline (perfect-freehand,
// shared with the canvas) and the fill of that outline into frame pixels, against the number of
// points, for ordinary pen strokes and for the costliest shapes (a dense zigzag, whose every
// segment crosses the whole frame). Run: npm run bench:strokes [-- --max-points N]
// The stroke schema's point limit (src/main/api/attempts.ts) comes from this table: the worst
// shape at the limit stays within the budget below. Prints figures; speed targets live here, not
// in the tests (the tests count work instead).
import { parseArgs } from 'node:util'
import { MAX_STROKE_POINTS } from '#shared/stroke/limits.ts'
import { strokeOutline } from '#shared/stroke/outline.ts'
import { newRasterCounters, rasterizePolygon } from '#shared/stroke/rasterize.ts'
import type { Stroke, StrokePoint } from '#shared/stroke/types.ts'

/** Outline plus fill of the worst stroke the schema lets through. */
const BUDGET_MS = 50
/** The fill alone of a 20,000-point dense zigzag (the shape that used to take minutes). */
const FILL_TARGET_MS = 50

const { values } = parseArgs({ options: { 'max-points': { type: 'string', default: '20000' } } })
const maxPoints = Number(values['max-points'])
const frame = { width: 500, height: 500 }

let seed = 7
function random(): number {
  seed = (seed * 1103515245 + 12345) >>> 0
  return seed / 2 ** 32
}

const point = (x: number, y: number, pressure: number, t: number): StrokePoint => ({
  x,
  y,
  pressure,
  tiltX: 0,
  tiltY: 0,
  t
})

/** A tablet at 240 Hz: a wandering curve, 0.5 to 3 px per sample, pressure swelling and fading. */
function wandering(n: number): StrokePoint[] {
  let x = 250
  let y = 250
  let heading = random() * 2 * Math.PI
  return Array.from({ length: n }, (_, i) => {
    heading += (random() - 0.5) * 0.3
    const step = 0.5 + 2.5 * random()
    x += Math.cos(heading) * step
    y += Math.sin(heading) * step
    if (x < 20 || x > 480) heading = Math.PI - heading
    if (y < 20 || y > 480) heading = -heading
    x = Math.min(480, Math.max(20, x))
    y = Math.min(480, Math.max(20, y))
    return point(x, y, 0.2 + 0.6 * Math.sin((Math.PI * i) / n) ** 2, i * 4.2)
  })
}

/** Shading: quick hatches 40 px long, back and forth, drifting across the frame. */
function hatching(n: number): StrokePoint[] {
  return Array.from({ length: n }, (_, i) => {
    const phase = (i % 24) / 12
    const along = phase <= 1 ? phase : 2 - phase
    const drift = (i / n) * 400
    return point(50 + drift + 20 * along, 60 + 40 * along + (drift % 300), 0.5, i * 4.2)
  })
}

/** Every sample on the opposite edge of the frame: each segment crosses every row. */
function zigzag(n: number): StrokePoint[] {
  return Array.from({ length: n }, (_, i) => point(10 + (480 * i) / n, i % 2 ? 490 : 10, 0.5, i * 4.2))
}

/** The same between opposite corners: each segment crosses every row and every column. */
function diagonalZigzag(n: number): StrokePoint[] {
  return Array.from({ length: n }, (_, i) => {
    const s = (i * 7) / n
    return i % 2 ? point(10 + s, 10 + s, 0.5, i * 4.2) : point(490 - s, 490 - s, 0.5, i * 4.2)
  })
}

const SHAPES: [string, (n: number) => StrokePoint[]][] = [
  ['wandering pen', wandering],
  ['hatching', hatching],
  ['zigzag (worst)', zigzag],
  ['diagonal zigzag', diagonalZigzag]
]

interface Row {
  shape: string
  points: number
  outlineMs: number
  fillMs: number
  crossings: number
  pixels: number
}

function measure(shape: string, make: (n: number) => StrokePoint[], n: number): Row {
  const stroke: Stroke = { tool: 'pen', size: 4, points: make(n) }
  const outlineMs: number[] = []
  const fillMs: number[] = []
  let crossings = 0
  let pixels = 0
  const runs = n <= 2000 ? 7 : 3
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const outline = strokeOutline(stroke)
    const t1 = performance.now()
    const counters = newRasterCounters()
    pixels = rasterizePolygon(outline, frame, counters).length
    const t2 = performance.now()
    outlineMs.push(t1 - t0)
    fillMs.push(t2 - t1)
    crossings = counters.crossings
  }
  return { shape, points: n, outlineMs: Math.min(...outlineMs), fillMs: Math.min(...fillMs), crossings, pixels }
}

// Warm the engine up on every path first, so the table shows steady-state costs.
for (const [, make] of SHAPES) rasterizePolygon(strokeOutline({ tool: 'pen', size: 4, points: make(3000) }), frame)

const sizes = [250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 10000, 20000].filter((n) => n <= maxPoints)
const rows: Row[] = []
console.log(
  `frame ${frame.width} x ${frame.height}, pen size 4; best of 3-7 runs (the machine's own speed, not its neighbours' load); schema limit ${MAX_STROKE_POINTS} points\n`
)
console.log(
  `${'shape'.padEnd(16)} ${'points'.padStart(6)} ${'outline'.padStart(10)} ${'fill'.padStart(10)} ${'total'.padStart(10)} ${'crossings'.padStart(10)} ${'pixels'.padStart(7)}`
)
for (const [name, make] of SHAPES) {
  for (const n of sizes) {
    const r = measure(name, make, n)
    rows.push(r)
    console.log(
      `${name.padEnd(16)} ${String(n).padStart(6)} ${r.outlineMs.toFixed(1).padStart(7)} ms ${r.fillMs.toFixed(1).padStart(7)} ms ${(r.outlineMs + r.fillMs).toFixed(1).padStart(7)} ms ${String(r.crossings).padStart(10)} ${String(r.pixels).padStart(7)}`
    )
  }
}

const worstAt = (n: number): Row[] => rows.filter((r) => r.points === n && r.shape.includes('zigzag'))
const atLimit = worstAt(MAX_STROKE_POINTS)
const fill20k = worstAt(20000)
console.log('')
if (fill20k.length > 0) {
  const fill = Math.max(...fill20k.map((r) => r.fillMs))
  console.log(
    `fill of a 20,000-point zigzag: ${fill.toFixed(1)} ms (target <= ${FILL_TARGET_MS} ms) ${fill <= FILL_TARGET_MS ? 'met' : 'MISSED'}`
  )
}
if (atLimit.length > 0) {
  const total = Math.max(...atLimit.map((r) => r.outlineMs + r.fillMs))
  console.log(
    `worst stroke at the schema limit (${MAX_STROKE_POINTS} points), outline + fill: ${total.toFixed(1)} ms (budget ${BUDGET_MS} ms) ${total <= BUDGET_MS ? 'met' : 'MISSED'}`
  )
}
const within = [...new Set(rows.map((r) => r.points))].filter((n) =>
  worstAt(n).every((r) => r.outlineMs + r.fillMs <= BUDGET_MS)
)
console.log(`largest measured point count whose worst stroke fits the budget: ${Math.max(0, ...within)}`)
