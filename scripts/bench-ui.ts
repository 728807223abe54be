// npm run bench:ui: how fast the studio answers a stroke.
//  1. Stroke geometry (Node): outline + rasterise of each stroke of a 150-stroke session, the work
//     the main side does for every committed stroke.
//  2. Pen-up to score painted (the Node host in headless Chromium): 150 pen strokes through CDP;
//     for each, the time from the pointerup event to the first animation frame after the live
//     score for that stroke is in the page. Target p95 <= 16 ms.
// Options: --strokes N (150), --geometry-only.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium } from 'playwright-core'
import type { Stroke } from '../src/shared/stroke.ts'
import { rasterizeStroke, strokeOutline } from '../src/shared/stroke/index.ts'
import { penStroke, type PenPoint } from '../test/helpers/pen.ts'

const ROOT = join(import.meta.dirname, '..')
const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium'

/** `npm run web` as a user runs it (the build is done by the npm script); resolves with its URL. */
async function startHost(dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) throw new Error('the renderer is not built: run `npm run build` (npm run bench:ui does)')
  const proc = spawn(process.execPath, [join(ROOT, 'src/main/host/main.ts'), '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start:\n${out}`)), 30_000)
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /is at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the host exited with ${code}:\n${out}`))
    })
  })
  return { url, proc }
}

const args = process.argv.slice(2)
const STROKES = Number(args[args.indexOf('--strokes') + 1]) || 150
const GEOMETRY_ONLY = args.includes('--geometry-only')
const FRAME = { width: 500, height: 500 }

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A drawing session's strokes: arcs of ellipses and wavy lines over the frame, 20-40 samples each. */
function sessionStrokes(n: number): PenPoint[][] {
  const rnd = random(7)
  return Array.from({ length: n }, () => {
    const samples = 20 + Math.floor(rnd() * 21)
    const cx = 80 + rnd() * 340
    const cy = 80 + rnd() * 340
    const rx = 20 + rnd() * 60
    const ry = 20 + rnd() * 60
    const a0 = rnd() * Math.PI * 2
    const sweep = 0.6 + rnd() * 2
    const wobble = rnd() * 3
    return Array.from({ length: samples }, (_, i) => {
      const a = a0 + (sweep * i) / (samples - 1)
      return {
        x: cx + rx * Math.cos(a) + wobble * Math.sin(i),
        y: cy + ry * Math.sin(a),
        force: 0.25 + 0.6 * Math.sin((Math.PI * i) / (samples - 1)),
        tiltX: 20,
        tiltY: -10
      }
    })
  })
}

function stats(ms: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length }
}
const fmt = (x: { p50: number; p95: number; max: number }, digits = 2) => `p50 ${x.p50.toFixed(digits)} ms  p95 ${x.p95.toFixed(digits)} ms  max ${x.max.toFixed(digits)} ms`

function benchGeometry(strokes: PenPoint[][]): void {
  const asStrokes: Stroke[] = strokes.map((pts) => ({
    tool: 'pen',
    size: 3,
    points: pts.map((p, i) => ({ x: p.x, y: p.y, pressure: p.force ?? 0.5, tiltX: 0, tiltY: 0, t: i * 5 }))
  }))
  for (let r = 0; r < 20; r++) for (const s of asStrokes) rasterizeStroke(s, FRAME) // warm up
  const REPS = 20
  const outline: number[] = []
  const full: number[] = []
  let pixels = 0
  for (const s of asStrokes) {
    let t = performance.now()
    for (let r = 0; r < REPS; r++) strokeOutline(s)
    outline.push((performance.now() - t) / REPS)
    t = performance.now()
    for (let r = 0; r < REPS; r++) pixels = rasterizeStroke(s, FRAME).length
    full.push((performance.now() - t) / REPS)
  }
  const samples = asStrokes.reduce((n, s) => n + s.points.length, 0) / asStrokes.length
  console.log(`stroke geometry, ${asStrokes.length} strokes (3 px pen, ${samples.toFixed(0)} samples each, 500 x 500 frame; last stroke ${pixels} px):`)
  console.log(`  outline only         ${fmt(stats(outline), 3)}`)
  console.log(`  outline + rasterise  ${fmt(stats(full), 3)}`)
}

// In the page: the pointerup time and frame, and for each history position the moment its live
// score is in the DOM (data-cursor set, not pending) and the first animation frame after that,
// which paints it. Frames are counted so the score's frame can be compared with the ink's (the
// first frame after pen-up). Plain JS, installed before the page's own scripts (the page's CSP
// forbids evaluating strings, so the waits below are functions).
const PAGE_PROBE = `
window.__bench = { up: 0, upFrame: 0, frame: 0, cursor: -1, results: [], ink: [] };
const tick = () => {
  const b = window.__bench;
  if (++b.frame === b.upFrame + 1 && b.up) b.ink.push(performance.now() - b.up);
  requestAnimationFrame(tick);
};
requestAnimationFrame(tick);
addEventListener('pointerup', (e) => { window.__bench.up = e.timeStamp; window.__bench.upFrame = window.__bench.frame }, true);
new MutationObserver(() => {
  const el = document.querySelector('[data-testid=live-score]');
  if (!el || el.getAttribute('data-pending') !== 'false') return;
  const cursor = Number(el.getAttribute('data-cursor'));
  if (!(cursor > window.__bench.cursor)) return;
  window.__bench.cursor = cursor;
  const { up, upFrame } = window.__bench;
  const inDom = performance.now() - up;
  requestAnimationFrame(() => window.__bench.results.push({
    cursor, ms: performance.now() - up, inDom, text: el.textContent,
    // The frame counter has already ticked for this frame (its callback was queued first), and
    // the ink is painted in the first frame after pen-up: 0 = the ink's own frame, 1 = the next.
    framesAfterInk: window.__bench.frame - upFrame - 1
  }));
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`

interface Probe {
  cursor: number
  results: { cursor: number; ms: number; inDom: number; text: string; framesAfterInk: number }[]
  /** Pen-up to the first frame after it (the ink's), per stroke. */
  ink: number[]
}

async function benchLatency(strokes: PenPoint[][]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'))
  const host = await startHost(dataDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.addInitScript({ content: PAGE_PROBE })
    await page.goto(host.url)
    await page.getByTestId('reference').waitFor()
    // The attempt has started when the (empty) live score for cursor 0 is in.
    // (Functions run in the page, where the probe lives; this script has no DOM types.)
    await page.waitForFunction(() => (globalThis as unknown as { __bench: Probe }).__bench.cursor >= 0, undefined, { timeout: 30_000 })
    const box = await page.getByTestId('drawing-canvas').boundingBox()
    if (!box) throw new Error('the drawing canvas is not on the page')
    const g = { left: box.x, top: box.y, width: box.width, height: box.height, frame: FRAME }
    const cdp = await page.context().newCDPSession(page)
    const lift = random(11)
    for (let i = 0; i < strokes.length; i++) {
      // The pen lifts at a random moment of the display's 16.7 ms frame, as a real one does.
      await penStroke(cdp, g, strokes[i], lift() * 16.7)
      await page.waitForFunction((n) => (globalThis as unknown as { __bench: Probe }).__bench.results.length >= n, i + 2, { timeout: 30_000 })
    }
    // results[0] is the new attempt's empty score (cursor 0), not a stroke.
    const probe = await page.evaluate(() => (globalThis as unknown as { __bench: Probe }).__bench)
    const results = probe.results.slice(1)
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`)
    const ms = results.map((r) => r.ms)
    const s = stats(ms)
    console.log(`pen-up to score painted, ${results.length} strokes through the Node host (headless Chromium, 1280 x 800):`)
    console.log(`  ${fmt(s)}  (mean ${s.mean.toFixed(2)} ms; target p95 <= 16 ms: ${s.p95 <= 16 ? 'met' : 'NOT met'})`)
    console.log(`  of which until the score is in the page: ${fmt(stats(results.map((r) => r.inDom)))}`)
    console.log(`  pen-up to the ink's frame (the first after pen-up): ${fmt(stats(probe.ink))}`)
    const frames = results.map((r) => r.framesAfterInk)
    const share = (k: number) => ((100 * frames.filter((f) => f <= k).length) / frames.length).toFixed(0)
    console.log(`  score painted in the ink's own frame: ${share(0)} %, by the frame after it: ${share(1)} %, by two frames after: ${share(2)} %`)
    console.log(`  final live score: ${results[results.length - 1]?.text}`)
  } finally {
    await browser.close()
    await new Promise<void>((resolve) => {
      if (host.proc.exitCode !== null) return resolve()
      host.proc.once('exit', () => resolve())
      host.proc.kill('SIGTERM')
    })
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const strokes = sessionStrokes(STROKES)
benchGeometry(strokes)
if (!GEOMETRY_ONLY) await benchLatency(strokes)
