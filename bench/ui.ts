// npm run bench:ui: how fast the studio answers a stroke.
//  1. Stroke geometry (Node): outline + rasterise of each stroke of a 150-stroke session, the work
//     the main side does for every committed stroke.
//  2. Pen-up to score painted (the Node host in headless Chromium): 150 pen strokes through CDP;
//     for each, the time from the pointerup event to the frame that paints the live score for that
//     stroke (see PAGE_PROBE), and which frame that is, counted from the ink's. Target p95 <= 16 ms.
//  The host's section also gives the main thread's CPU time per stroke (what a stroke keeps the
//  thread that serves the UI from doing), for the session's strokes and for long ones (1,000 and
//  4,000 points).
// Options: --strokes N (150), --geometry-only, --host-only (no browser), --trace (every hop of each
// stroke, with the host's own timestamps), --browser-arg X (an extra Chromium switch; repeatable).
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { cpus, loadavg, tmpdir } from 'node:os'
import type { Worker } from 'playwright-core'
import { createStudio } from '#main/app.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { inputSchemas } from '#main/api/schemas.ts'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'
import { TRACE_PREFIX, timedLauncher, type HostTiming } from '#main/shells/host/trace.ts'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { rasterizeStroke, strokeOutline } from '#shared/stroke/index.ts'
import { packStroke } from '#main/evaluator/process/packed-stroke.ts'
import { penStroke, type PenPoint } from '#tools/pen.ts'
import { launchBrowser, startHostProcess } from '#tools/host-process.ts'

const ROOT = join(import.meta.dirname, '..')

const args = process.argv.slice(2)
const STROKES = Number(args[args.indexOf('--strokes') + 1]) || 150
const GEOMETRY_ONLY = args.includes('--geometry-only')
const HOST_ONLY = args.includes('--host-only')
const TRACE = args.includes('--trace')
/** --browser-arg X (repeatable): an extra Chromium switch, e.g. --disable-features=DeferRendererTasksAfterInput. */
const BROWSER_ARGS = args.flatMap((a, i) => (args[i - 1] === '--browser-arg' ? [a] : []))
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

/** Zigzags across the frame, `samples` points each: the shape whose fill costs most (many rows a point). */
function zigzags(n: number, samples: number): PenPoint[][] {
  return Array.from({ length: n }, (_, k) =>
    Array.from({ length: samples }, (_, i) => ({
      x: 10 + (480 * i) / samples + k,
      y: i % 2 === 0 ? 10 : 490,
      force: 0.5,
      tiltX: 0,
      tiltY: 0
    }))
  )
}

/** Long strokes, as a slow hand writes them: a loop of loops over the frame, `samples` points each. */
function longStrokes(n: number, samples: number): PenPoint[][] {
  const rnd = random(11)
  return Array.from({ length: n }, () => {
    const cx = 150 + rnd() * 200
    const cy = 150 + rnd() * 200
    return Array.from({ length: samples }, (_, i) => {
      const a = (i / samples) * Math.PI * 2 * 6
      const r = 60 + 40 * Math.sin(i / 37)
      return { x: cx + r * Math.cos(a) + 12 * Math.cos(a * 7), y: cy + r * Math.sin(a), force: 0.5, tiltX: 0, tiltY: 0 }
    })
  })
}

function stats(ms: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length }
}
const fmt = (x: { p50: number; p95: number; max: number }, digits = 2) =>
  `p50 ${x.p50.toFixed(digits)} ms  p95 ${x.p95.toFixed(digits)} ms  max ${x.max.toFixed(digits)} ms`

/**
 * What each stroke costs to outline and rasterise (done in the evaluation process, off the thread
 * that serves the UI), and to pack its points for that process (what that thread does instead).
 */
function benchGeometry(strokes: PenPoint[][], label: string, reps = 20): void {
  const asStrokes: Stroke[] = strokes.map((pts) => ({
    tool: 'pen',
    size: 3,
    points: pts.map((p, i) => ({ x: p.x, y: p.y, pressure: p.force ?? 0.5, tiltX: 0, tiltY: 0, t: i * 5 }))
  }))
  for (let r = 0; r < Math.max(2, reps / 4); r++) for (const s of asStrokes) rasterizeStroke(s, FRAME) // warm up
  const outline: number[] = []
  const full: number[] = []
  const pack: number[] = []
  let pixels = 0
  for (const s of asStrokes) {
    let t = performance.now()
    for (let r = 0; r < reps; r++) strokeOutline(s)
    outline.push((performance.now() - t) / reps)
    t = performance.now()
    for (let r = 0; r < reps; r++) pixels = rasterizeStroke(s, FRAME).length
    full.push((performance.now() - t) / reps)
    t = performance.now()
    for (let r = 0; r < reps * 10; r++) packStroke(s)
    pack.push((performance.now() - t) / (reps * 10))
  }
  const samples = asStrokes.reduce((n, s) => n + s.points.length, 0) / asStrokes.length
  console.log(
    `stroke geometry, ${asStrokes.length} ${label} (3 px pen, ${samples.toFixed(0)} samples each, 500 x 500 frame; last stroke ${pixels} px):`
  )
  console.log(`  outline only                        ${fmt(stats(outline), 3)}`)
  console.log(`  outline + rasterise (evaluator)     ${fmt(stats(full), 3)}`)
  console.log(`  pack the points (the UI's thread)   ${fmt(stats(pack), 3)}`)
}

/**
 * The host's work for each stroke, in this process (no browser competing for the cores): the
 * request decoded, validated and run through the same services as `npm run web` (journal and all),
 * the reply encoded. Twice: with the evaluator in a worker thread as the host runs it, and on the
 * calling thread, which shows what the thread hop costs.
 */
async function benchHostWork(
  strokes: PenPoint[][],
  label: string,
  wheres: readonly ('worker' | 'inline')[] = ['worker', 'inline']
): Promise<void> {
  const asStrokes = strokes.map((pts) => ({
    tool: 'pen' as const,
    size: 3,
    points: pts.map((p, i) => ({
      x: p.x,
      y: p.y,
      pressure: p.force ?? 0.5,
      tiltX: p.tiltX ?? 0,
      tiltY: p.tiltY ?? 0,
      t: i * 8
    }))
  }))
  console.log(
    `the host's work per stroke, ${asStrokes.length} ${label} in process (the services of npm run web; journal in a temp folder):`
  )
  for (const where of wheres) {
    const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-host-'))
    const evaluatorTrips: number[] = []
    const timed = timedLauncher(where === 'worker' ? workerLauncher() : inProcessLauncher(), (t) => {
      // (A stroke goes as 'stroke', its points, or as 'add', its pixels rasterised here.)
      if (t.hop === 'evaluator' && (t.type === 'add' || t.type === 'stroke')) evaluatorTrips.push(t.replied - t.sent)
    })
    const studio = await createStudio({
      shell: 'host',
      resourcesDir: join(ROOT, 'resources'),
      dataDir,
      launchEvaluator: timed
    })
    const { api } = studio
    try {
      const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
      const phases: Record<string, number[]> = {
        decode: [],
        validate: [],
        'service (validates again)': [],
        encode: [],
        total: [],
        'main thread busy (wall)': [],
        'main thread CPU': []
      }
      for (let i = 0; i < asStrokes.length; i++) {
        const frame = encodeFrame({
          type: 'request',
          id: i + 1,
          method: 'commitStroke',
          arg: { attemptId, activeMs: i * 1000, stroke: asStrokes[i] }
        })
        const cpu0 = process.threadCpuUsage()
        const busy0 = performance.eventLoopUtilization()
        const t0 = performance.now()
        const request = decodeFrame(frame) as { id: number; method: string; arg: unknown }
        const t1 = performance.now()
        const [cpuDecoded, busyDecoded] = [process.threadCpuUsage(cpu0), performance.eventLoopUtilization(busy0)]
        // (Validated here only to time it: the service validates again, and only that counts.)
        inputSchemas.commitStroke.safeParse(request.arg)
        const t2 = performance.now()
        const [cpu1, busy1] = [process.threadCpuUsage(), performance.eventLoopUtilization()]
        const envelope = await dispatch(api, request.method, request.arg)
        const t3 = performance.now()
        encodeFrame({ type: 'reply', id: request.id, ...envelope })
        const t4 = performance.now()
        // This thread's own CPU time (not waiting for the evaluator, nor for the other processes on
        // the machine): what this stroke kept the thread that serves the UI from doing.
        // (Linux counts a thread's CPU in ticks of a few ms: read its mean over many strokes; the
        // wall time the event loop was busy also counts time the machine gave to others.)
        const used = process.threadCpuUsage(cpu1)
        phases['main thread CPU'].push((used.user + used.system + cpuDecoded.user + cpuDecoded.system) / 1000)
        phases['main thread busy (wall)'].push(performance.eventLoopUtilization(busy1).active + busyDecoded.active)
        if (!envelope.ok) throw new Error(`commitStroke failed: ${envelope.error.message}`)
        phases.decode.push(t1 - t0)
        phases.validate.push(t2 - t1)
        phases['service (validates again)'].push(t3 - t2)
        phases.encode.push(t4 - t3)
        phases.total.push(t4 - t0 - (t2 - t1))
      }
      phases[`of which evaluator round trip`] = evaluatorTrips.slice(-asStrokes.length)
      console.log(
        `  evaluator ${where === 'worker' ? 'in a worker thread (as the host runs it)' : 'on the calling thread'}:`
      )
      for (const [k, v] of Object.entries(phases)) {
        const st = stats(v)
        console.log(`    ${k.padEnd(32)} ${fmt(st, 3)}  mean ${st.mean.toFixed(3)} ms`)
      }
    } finally {
      await studio.dispose()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

// In the page: the pointerup time and frame, and for each history position the moment its live
// score is in the DOM (data-cursor set, not pending) and the frame that paints it. A frame runs its
// requestAnimationFrame callbacks, then style, layout (ResizeObserver callbacks) and paint: a
// change made during its callbacks is painted by that same frame, a change made in a task between
// frames by the next one. So every callback is wrapped to count frames (by their timestamp) and to
// mark the callback phase, which a ResizeObserver on a marker resized in each frame ends. Frames
// are counted so the score's frame can be compared with the ink's (the first frame after pen-up).
// Plain JS, installed before the page's own scripts (the page's CSP forbids evaluating strings, so
// the waits below are functions).
const PAGE_PROBE = `
{
const b = window.__bench = { up: 0, upFrame: 0, frame: 0, lastTs: -1, inFrame: false, cursor: -1, results: [], ink: [] };
const nativeRaf = window.requestAnimationFrame.bind(window);
const marker = document.createElement('div');
marker.setAttribute('aria-hidden', 'true');
marker.style.cssText = 'position:fixed;left:-8px;top:-8px;width:1px;height:1px;pointer-events:none;visibility:hidden';
new ResizeObserver(() => { b.inFrame = false; }).observe(marker);
addEventListener('DOMContentLoaded', () => document.body.append(marker));
const frameStarts = (ts) => {
  if (ts === b.lastTs) return;
  b.lastTs = ts;
  b.inFrame = true;
  marker.style.width = marker.style.width === '1px' ? '2px' : '1px';
  if (++b.frame === b.upFrame + 1 && b.up) b.ink.push(performance.now() - b.up);
};
window.requestAnimationFrame = (callback) => nativeRaf((ts) => { frameStarts(ts); callback(ts); });
const tick = () => requestAnimationFrame(tick);
tick();
addEventListener('pointerup', (e) => { b.up = e.timeStamp; b.upFrame = b.frame; }, true);
// Pen move to ink painted: each sample event while the pen is down (pointerrawupdate where the page
// reads it, as the canvas does), until the next fill of the visible drawing canvas, which the
// painter does only for the stroke in progress, inside the frame that shows it.
b.moves = []; b.inkLatency = [];
const moveType = isSecureContext && 'onpointerrawupdate' in window ? 'pointerrawupdate' : 'pointermove';
b.moveType = moveType;
addEventListener(moveType, (e) => { if (e.buttons) b.moves.push({ t: e.timeStamp, frame: b.frame }); }, true);
const nativeFill = CanvasRenderingContext2D.prototype.fill;
CanvasRenderingContext2D.prototype.fill = function (...args) {
  if (b.moves.length && this.canvas.dataset && this.canvas.dataset.testid === 'drawing-canvas') {
    const now = performance.now();
    for (const m of b.moves) b.inkLatency.push({ ms: now - m.t, frames: b.frame - m.frame });
    b.moves = [];
  }
  return nativeFill.apply(this, args);
};
const record = (cursor, el, inDom) => b.results.push({
  cursor, ms: performance.now() - b.up, inDom, text: el.textContent,
  // The ink is painted in the first frame after pen-up: 0 = the ink's own frame, 1 = the next.
  framesAfterInk: b.frame - b.upFrame - 1
});
new MutationObserver(() => {
  const el = document.querySelector('[data-testid=live-score]');
  if (!el || el.getAttribute('data-pending') !== 'false') return;
  const cursor = Number(el.getAttribute('data-cursor'));
  if (!(cursor > b.cursor)) return;
  b.cursor = cursor;
  const inDom = performance.now() - b.up;
  if (b.inFrame) record(cursor, el, inDom); // painted by the frame running now
  else requestAnimationFrame(() => record(cursor, el, inDom)); // by the next one
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}
`

// A frame's id and, for a request, its method, read as the host's frame codec lays them out (a
// 5-byte header, then MessagePack {m: method, ...}): for the trace hooks, which run as plain JS.
const FRAME_PROBE = `
  const frameId = (f) => (f instanceof Uint8Array && f.byteLength >= 5 ? new DataView(f.buffer, f.byteOffset).getUint32(1, true) : null);
  const requestOf = (f) => {
    if (!(f instanceof Uint8Array) || f[0] !== 1 || f.byteLength < 9 || (f[5] & 0xf0) !== 0x80 || f[6] !== 0xa1 || f[7] !== 0x6d || (f[8] & 0xe0) !== 0xa0) return null;
    return { id: frameId(f), method: new TextDecoder().decode(f.subarray(9, 9 + (f[8] & 0x1f))) };
  };
`

// --trace: where the time goes, hop by hop. Every clock is the wall clock with sub-millisecond
// resolution (performance.timeOrigin + performance.now() in the page, its socket worker and the
// host), so the three processes' timestamps line up.
const PAGE_TRACE = `
{
  const t = window.__trace = { ups: [], posts: [] };
  const now = () => performance.timeOrigin + performance.now();
  addEventListener('pointerup', (e) => t.ups.push({ at: performance.timeOrigin + e.timeStamp, handled: now() }), true);
  ${FRAME_PROBE}
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m, ...rest) {
    const r = m && m.kind === 'send' ? requestOf(m.bytes) : null;
    if (r) t.posts.push({ ...r, at: now() });
    return post.call(this, m, ...rest);
  };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (frame) {
    const r = requestOf(frame);
    if (r) t.posts.push({ ...r, at: now(), direct: true });
    return send.call(this, frame);
  };
}
`

interface Probe {
  cursor: number
  /** Per pen sample: ms from the event to the frame that painted it, and frames later (1 = the next frame). */
  inkLatency: { ms: number; frames: number }[]
  moveType: string
  results: { cursor: number; ms: number; inDom: number; text: string; framesAfterInk: number }[]
  /** Pen-up to the first frame after it (the ink's), per stroke. */
  ink: number[]
  /** performance.timeOrigin of the page. */
  origin: number
}

interface PageTrace {
  ups: { at: number; handled: number }[]
  posts: { id: number; method: string; at: number; direct?: boolean }[]
}

interface WorkerTrace {
  sent: Record<number, number>
  got: Record<number, number>
}

type CallTiming = Extract<HostTiming, { hop: 'call' }>
type EvaluatorTiming = Extract<HostTiming, { hop: 'evaluator' }>

/** In the socket worker: when each request went out and each reply came in (hooked once it runs). */
function hookWorker(): void {
  const g = globalThis as unknown as {
    __trace: WorkerTrace
    postMessage(m: unknown, transfer?: unknown[]): void
    WebSocket: typeof WebSocket
  }
  const t: WorkerTrace = (g.__trace = { sent: {}, got: {} })
  const now = (): number => performance.timeOrigin + performance.now()
  // The frame header (frame-header.ts): kind byte, then the id; written out here, as this runs in the page's worker.
  const idOf = (frame: unknown): number | null =>
    frame instanceof Uint8Array && frame.byteLength >= 5
      ? new DataView(frame.buffer, frame.byteOffset).getUint32(1, true)
      : null
  const send = g.WebSocket.prototype.send
  g.WebSocket.prototype.send = function (this: WebSocket, frame: Uint8Array) {
    const id = idOf(frame)
    if (id !== null) t.sent[id] = now()
    send.call(this, frame)
  }
  const post = g.postMessage.bind(g)
  g.postMessage = (m: unknown, transfer?: unknown[]) => {
    const reply = m as { kind?: string; bytes?: Uint8Array }
    const id = reply.kind === 'reply' ? idOf(reply.bytes) : null
    if (id !== null) t.got[id] = now()
    post(m, transfer)
  }
}

/** Each stroke's hops, from the page's, the worker's and the host's timestamps. */
function printHops(probe: Probe, page: PageTrace, worker: WorkerTrace | null, host: HostTiming[]): void {
  const calls = new Map<number, CallTiming>()
  const evaluator: EvaluatorTiming[] = []
  for (const t of host) {
    if (t.hop === 'call') calls.set(t.id, t)
    else evaluator.push(t)
  }
  const strokes = page.posts.filter((p) => p.method === 'commitStroke')
  const results = probe.results.slice(1)
  const rows: Record<string, number>[] = []
  const n = Math.min(strokes.length, page.ups.length, results.length, probe.ink.length)
  for (let i = 0; i < n; i++) {
    const up = page.ups[page.ups.length - n + i]
    const post = strokes[strokes.length - n + i]
    const r = results[results.length - n + i]
    const call = calls.get(post.id)
    if (!call) continue
    const ev = evaluator.find((e) => e.sent >= call.decoded && e.replied <= call.answered)
    const sentAt = worker?.sent[post.id] ?? post.at
    const gotAt = worker?.got[post.id]
    const row: Record<string, number> = {
      'pen-up event to the page handler': up.handled - up.at,
      'handler to stroke posted': post.at - up.handled
    }
    if (worker) row['posted to sent by the socket worker'] = sentAt - post.at
    row['socket to host'] = call.received - sentAt
    row['host: decode'] = call.decoded - call.received
    if (ev) {
      row['host: validate + rasterise'] = ev.sent - call.decoded
      row['host: evaluator round trip'] = ev.replied - ev.sent
      row['host: journal write, result'] = call.answered - ev.replied
    } else row['host: service'] = call.answered - call.decoded
    row['host: encode + write'] = call.sent - call.answered
    if (gotAt !== undefined) {
      row['host to socket worker'] = gotAt - call.sent
      row['worker to score in the DOM'] = up.at + r.inDom - gotAt
    } else row['host to score in the DOM'] = up.at + r.inDom - call.sent
    row['score in the DOM to painted'] = r.ms - r.inDom
    row['= pen-up to painted'] = r.ms
    row['pen-up to reply in the page (or worker)'] = (gotAt ?? up.at + r.inDom) - up.at
    row['pen-up to the ink frame'] = probe.ink[probe.ink.length - n + i]
    row['frames after the ink'] = r.framesAfterInk
    rows.push(row)
  }
  if (rows.length === 0) return console.log('  (no traced strokes)')
  console.log(`  hops (${rows.length} strokes; host evaluator and journal from --trace):`)
  for (const k of Object.keys(rows[0])) {
    const v = rows.map((r) => r[k]).filter((x) => x !== undefined)
    console.log(`    ${k.padEnd(40)} ${fmt(stats(v))}`)
  }
  const late = rows.filter((r) => r['frames after the ink'] > 0)
  if (late.length > 0) {
    const mean = (k: string, rs: Record<string, number>[]) => (rs.reduce((a, r) => a + r[k], 0) / rs.length).toFixed(2)
    console.log(
      `  the ${late.length} strokes scored after the ink's frame: the reply came ${mean('pen-up to reply in the page (or worker)', late)} ms after pen-up (mean), ` +
        `the ink's frame at ${mean('pen-up to the ink frame', late)} ms; the others: ${mean(
          'pen-up to reply in the page (or worker)',
          rows.filter((r) => r['frames after the ink'] === 0)
        )} ms and ` +
        `${mean(
          'pen-up to the ink frame',
          rows.filter((r) => r['frames after the ink'] === 0)
        )} ms`
    )
  }
}

async function benchLatency(strokes: PenPoint[][]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-'))
  const host = await startHostProcess(dataDir, TRACE ? ['--trace'] : [])
  const load = loadavg()[0]
  const browser = await launchBrowser(BROWSER_ARGS)
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    const workers: Worker[] = []
    if (TRACE) page.on('worker', (w) => void w.evaluate(hookWorker).then(() => workers.push(w)))
    await page.addInitScript({ content: PAGE_PROBE + (TRACE ? PAGE_TRACE : '') })
    await page.goto(host.url)
    await page.getByTestId('reference').waitFor()
    // The attempt has started when the (empty) live score for cursor 0 is in.
    // (Functions run in the page, where the probe lives; this script has no DOM types.)
    await page.waitForFunction(() => (globalThis as unknown as { __bench: Probe }).__bench.cursor >= 0, undefined, {
      timeout: 30_000
    })
    const isolated = await page.evaluate(
      () => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated
    )
    const box = await page.getByTestId('drawing-canvas').boundingBox()
    if (!box) throw new Error('the drawing canvas is not on the page')
    const g = { left: box.x, top: box.y, width: box.width, height: box.height, frame: FRAME }
    const cdp = await page.context().newCDPSession(page)
    const lift = random(11)
    for (let i = 0; i < strokes.length; i++) {
      // The pen lifts at a random moment of the display's 16.7 ms frame, as a real one does.
      await penStroke(cdp, g, strokes[i], lift() * 16.7)
      await page.waitForFunction(
        (n) => (globalThis as unknown as { __bench: Probe }).__bench.results.length >= n,
        i + 2,
        { timeout: 30_000 }
      )
    }
    // results[0] is the new attempt's empty score (cursor 0), not a stroke.
    const probe = await page.evaluate(() => {
      const b = (globalThis as unknown as { __bench: Probe }).__bench
      return { ...b, origin: performance.timeOrigin }
    })
    const results = probe.results.slice(1)
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`)
    const ms = results.map((r) => r.ms)
    const s = stats(ms)
    console.log(
      `pen-up to score painted, ${results.length} strokes through the Node host (headless Chromium, 1280 x 800${BROWSER_ARGS.length ? ', ' + BROWSER_ARGS.join(' ') : ''}):`
    )
    console.log(`  ${fmt(s)}  (mean ${s.mean.toFixed(2)} ms; target p95 <= 16 ms: ${s.p95 <= 16 ? 'met' : 'NOT met'})`)
    console.log(`  of which until the score is in the page: ${fmt(stats(results.map((r) => r.inDom)))}`)
    console.log(`  pen-up to the ink's frame (the first after pen-up): ${fmt(stats(probe.ink))}`)
    const frames = results.map((r) => r.framesAfterInk)
    const share = (k: number) => ((100 * frames.filter((f) => f <= k).length) / frames.length).toFixed(0)
    console.log(
      `  score painted in the ink's own frame: ${share(0)} %, by the frame after it: ${share(1)} %, by two frames after: ${share(2)} %`
    )
    console.log(`  final live score: ${results[results.length - 1]?.text}`)
    const ink = probe.inkLatency
    if (ink.length > 0) {
      const f = stats(ink.map((l) => l.frames))
      console.log(
        `pen move to ink painted, ${ink.length} pen samples (${probe.moveType} events, until the frame that fills the stroke):`
      )
      console.log(
        `  ${fmt(stats(ink.map((l) => l.ms)))}; in frames (1 = the next frame after the sample): p50 ${f.p50}  p95 ${f.p95}  max ${f.max} (target p95 <= 1 frame: ${f.p95 <= 1 ? 'met' : 'NOT met'})`
      )
    }
    console.log(
      `  the page ${isolated ? 'is cross-origin isolated: replies are taken at the start of each frame' : 'is not cross-origin isolated: replies arrive as tasks only'}; load average ${load.toFixed(2)} -> ${loadavg()[0].toFixed(2)} on ${cpus().length} cores`
    )
    if (TRACE) {
      const pageTrace = await page.evaluate(() => (globalThis as unknown as { __trace: PageTrace }).__trace)
      const workerTrace = workers.length
        ? await workers[0].evaluate(() => (globalThis as unknown as { __trace: WorkerTrace }).__trace)
        : null
      const hostTrace = host
        .output()
        .split('\n')
        .filter((l) => l.startsWith(TRACE_PREFIX))
        .map((l) => JSON.parse(l.slice(TRACE_PREFIX.length)) as HostTiming)
      printHops(probe, pageTrace, workerTrace, hostTrace)
    }
  } finally {
    await browser.close()
    await host.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const strokes = sessionStrokes(STROKES)
const long = longStrokes(20, 1_000)
const longer = longStrokes(5, 4_000)
benchGeometry(strokes, 'strokes')
benchGeometry(long, 'long strokes', 3)
benchGeometry(longer, 'longer strokes', 2)
const zigzag = zigzags(3, 1_000)
benchGeometry(zigzag, 'zigzags', 1)
if (!GEOMETRY_ONLY) {
  await benchHostWork(strokes, 'strokes')
  await benchHostWork(long, 'long strokes (1,000 points)', ['worker'])
  await benchHostWork(longer, 'long strokes (4,000 points)', ['worker'])
  await benchHostWork(zigzag, 'zigzags across the frame (1,000 points)', ['worker'])
  if (!HOST_ONLY) await benchLatency(strokes)
}
// The in-process studio's evaluation thread would keep the script alive: worker-launcher.ts adds
// its 'message' listener after worker.unref(), which refs the worker's port again (Node 24).
process.exit(process.exitCode ?? 0)
