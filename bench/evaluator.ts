// The streaming evaluator against the C anchor (../shared/anchors, beside the project), on the
// same generated sessions, in one run: one table with ratios and the targets. Machine-dependent
// by nature; compare the ratios, not absolute times. `npm run bench`.
// Where the anchors are not beside the project, it runs on the project's own sessions of the
// same sizes (tools/sessions/) and prints our figures only, saying so.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { addedStrokes, parseSessionLog, referenceMask, type SessionLog } from '#main/evaluator/pixel-log.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { warmUp } from '#main/evaluator/process/evaluation-service.ts'
import { generateSession } from '#tools/sessions/generate.ts'
import { SCENARIOS as SESSIONS, type ScenarioName } from '#tools/sessions/scenarios.ts'

const REPS = 5

/** The project checkout: the nearest folder up from here with our package.json. */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sightline-studio')
      return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('bench: run it from the Sightline project checkout')
    dir = up
  }
}

/** ../shared/anchors when it is there (gen_session.py and the C anchor), else null. */
let ANCHORS: string | null = null
let WORK = ''

interface Scenario {
  name: ScenarioName
  targets: { median?: number; total?: number }
}

// The sizes are the project's scenarios (tools/sessions/scenarios.ts), which match the anchor's.
const SCENARIOS: Scenario[] = [
  { name: 'seed', targets: { median: 0.1, total: 0.1 } },
  { name: 'realistic', targets: { median: 0.1, total: 0.1 } },
  { name: 'large', targets: { total: 0.2 } }
]

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
const median = (xs: number[]): number =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5
  )

/** The project's own session of the scenario's sizes (no anchors beside the project). */
function ownSession(s: Scenario): SessionLog {
  return parseSessionLog(JSON.stringify(generateSession(SESSIONS[s.name])), s.name)
}

/** The anchor's session (gen_session.py with the same sizes) and its binary form for the C anchor. */
function anchorSession(s: Scenario, anchors: string): { log: SessionLog; bin: string } {
  mkdirSync(WORK, { recursive: true })
  const json = join(WORK, `${s.name}.json`)
  if (!existsSync(json)) {
    const { width, strokes, thickness, seed, shapes } = SESSIONS[s.name]
    const args = [s.name, width, strokes, thickness, seed, json, shapes].map(String)
    execFileSync('python3', [join(anchors, 'gen_session.py'), ...args], { stdio: 'ignore' })
  }
  const log = parseSessionLog(readFileSync(json, 'utf8'), json)
  // The anchor's input: int32 LE  W H nref ref... nstrokes {len idx...}... (as to_bin.py writes it).
  const bin = join(WORK, `${s.name}.bin`)
  if (!existsSync(bin)) {
    const adds = addedStrokes(log)
    const words = [log.width, log.height, log.reference.length, ...log.reference, adds.length]
    for (const a of adds) words.push(a.length, ...a)
    writeFileSync(bin, Buffer.from(new Int32Array(words).buffer))
  }
  return { log, bin }
}

interface AnchorResult {
  init_us: number
  median_us: number
  p99_us: number
  max_us: number
  session_total_ms: number
  top5: number
  mean: number
}

function anchor(bin: string, anchors: string): AnchorResult | null {
  const exe = join(WORK, 'native_stream')
  try {
    if (!existsSync(exe)) execFileSync('gcc', ['-O2', '-o', exe, join(anchors, 'native_stream.c')], { stdio: 'ignore' })
    return JSON.parse(execFileSync(exe, [bin, String(REPS)], { encoding: 'utf8' })) as AnchorResult
  } catch {
    return null
  }
}

interface OurResult {
  initUs: number
  firstUs: number
  coldFirstUs: number
  coldTotalMs: number
  medianUs: number
  p99Us: number
  maxUs: number
  totalMs: number
  fullMedianUs: number
  fullTotalMs: number
  top5: number
  mean: number
  counters: { visitedMedian: number; visitedTotal: number; testsMedian: number; changesMedian: number }
}

/**
 * Per stroke, the work the anchor does (add the stroke, then the top-5 error) and, separately,
 * what the app asks of the evaluation process (add, then the full evaluation).
 */
function ours(log: SessionLog): OurResult {
  const mask = referenceMask(log)
  const adds = addedStrokes(log)
  const times: number[] = []
  const inits: number[] = []
  const firsts: number[] = []
  const totals: number[] = []
  let coldFirstUs = 0,
    coldTotalMs = 0,
    top5 = 0,
    mean = 0
  const visited: number[] = [],
    tests: number[] = [],
    changes: number[] = []
  // Rep 0 is the first run after start-up, reported apart; reps 1..REPS are measured.
  for (let rep = 0; rep <= REPS; rep++) {
    const t0 = performance.now()
    const ev = new StreamingEvaluator(mask, log.width, log.height)
    inits.push((performance.now() - t0) * 1000)
    let repMs = 0
    for (let i = 0; i < adds.length; i++) {
      const before = ev.counters
      const a = performance.now()
      ev.add(adds[i])
      ev.top5Error()
      const dt = performance.now() - a
      repMs += dt
      if (rep === 0 && i === 0) coldFirstUs = dt * 1000
      if (rep > 0) {
        times.push(dt * 1000)
        if (i === 0) firsts.push(dt * 1000)
      }
      if (rep === REPS) {
        const after = ev.counters
        visited.push(after.pixelsVisited - before.pixelsVisited)
        tests.push(after.referenceTests - before.referenceTests)
        changes.push(after.referenceChanges - before.referenceChanges)
      }
    }
    if (rep === 0) coldTotalMs = repMs
    else totals.push(repMs)
    const e = ev.evaluation()
    if (e.status === 'scored') {
      top5 = e.top5Error
      mean = e.meanError
    }
    // As the evaluation process does when an attempt ends: its memory serves the next one.
    ev.dispose()
  }
  const full: number[] = []
  const fullTotals: number[] = []
  for (let rep = 0; rep < REPS; rep++) {
    const ev = new StreamingEvaluator(mask, log.width, log.height)
    let repMs = 0
    for (const stroke of adds) {
      const a = performance.now()
      ev.add(stroke)
      ev.evaluation()
      const dt = performance.now() - a
      repMs += dt
      full.push(dt * 1000)
    }
    fullTotals.push(repMs)
    ev.dispose()
  }
  times.sort((a, b) => a - b)
  return {
    initUs: median(inits.slice(1)),
    firstUs: median(firsts),
    coldFirstUs,
    coldTotalMs,
    medianUs: quantile(times, 0.5),
    p99Us: quantile(times, 0.99),
    maxUs: times[times.length - 1],
    totalMs: median(totals),
    fullMedianUs: median(full),
    fullTotalMs: median(fullTotals),
    top5,
    mean,
    counters: {
      visitedMedian: median(visited),
      visitedTotal: visited.reduce((a, v) => a + v, 0),
      testsMedian: median(tests),
      changesMedian: median(changes)
    }
  }
}

/** Undo of each stroke (then redo), and an eraser pass over each stroke, after the session. */
function edits(log: SessionLog): {
  undoMedianMs: number
  undoP90Ms: number
  eraseMedianMs: number
  eraseP90Ms: number
} {
  const ev = new StreamingEvaluator(referenceMask(log), log.width, log.height)
  const adds = addedStrokes(log)
  const undo: number[] = [],
    erase: number[] = []
  for (let i = 0; i < adds.length; i++) {
    ev.add(adds[i])
    ev.evaluation()
    if (i < 3) continue
    let t = performance.now()
    ev.undo()
    ev.evaluation()
    undo.push(performance.now() - t)
    ev.redo()
    // An eraser stroke over the previous stroke's pixels and a 2-pixel band around them.
    const prev = adds[i - 1]
    const band: number[] = []
    for (const p of prev) {
      const y = Math.floor(p / log.width),
        x = p % log.width
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const yy = y + dy,
            xx = x + dx
          if (yy >= 0 && yy < log.height && xx >= 0 && xx < log.width) band.push(yy * log.width + xx)
        }
    }
    t = performance.now()
    ev.erase(band)
    ev.evaluation()
    erase.push(performance.now() - t)
    ev.undo()
  }
  undo.sort((a, b) => a - b)
  erase.sort((a, b) => a - b)
  return {
    undoMedianMs: quantile(undo, 0.5),
    undoP90Ms: quantile(undo, 0.9),
    eraseMedianMs: quantile(erase, 0.5),
    eraseP90Ms: quantile(erase, 0.9)
  }
}

/**
 * Retained bytes per evaluator after replaying a session: its WebAssembly memory (every array it
 * keeps; not counted by process.memoryUsage) plus the JS heap it holds (history, objects),
 * averaged over several evaluators.
 */
function retainedBytes(log: SessionLog): number | null {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as (() => void) | undefined
  if (!gc) return null
  const mask = referenceMask(log)
  const adds = addedStrokes(log)
  const used = (): number => {
    gc()
    gc()
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const before = used()
  const keep: StreamingEvaluator[] = []
  const K = 10
  for (let k = 0; k < K; k++) {
    const ev = new StreamingEvaluator(mask, log.width, log.height)
    for (const a of adds) ev.add(a)
    ev.evaluation()
    keep.push(ev)
  }
  const after = used()
  return (after - before) / K + keep[0].memoryBytes
}

const fmt = (v: number, d = 1): string => v.toFixed(d)
const mark = (ok: boolean): string => (ok ? 'met' : 'NOT MET')

interface Output {
  out(line: string): void
}

export function runEvaluatorBench(io: Output): void {
  const root = projectRoot()
  const beside = join(root, '..', 'shared', 'anchors')
  ANCHORS = existsSync(join(beside, 'gen_session.py')) && existsSync(join(beside, 'native_stream.c')) ? beside : null
  WORK = join(root, '.bench')
  // As the app's evaluation process does when it starts: the JIT has seen every code path.
  warmUp()
  const rows: string[] = []
  const checks: string[] = []
  for (const s of SCENARIOS) {
    let log: SessionLog
    let c: AnchorResult | null = null
    if (ANCHORS) {
      const made = anchorSession(s, ANCHORS)
      log = made.log
      c = anchor(made.bin, ANCHORS)
    } else log = ownSession(s)
    const o = ours(log)
    const e = edits(log)
    rows.push(
      `| ${s.name} | ${log.width} | ${log.reference.length} | ${addedStrokes(log).reduce((a, st) => a + st.length, 0)} ` +
        `| ${fmt(o.initUs / 1000, 2)} / ${c ? fmt(c.init_us / 1000, 2) : '-'} ` +
        `| ${fmt(o.firstUs)} (1st session ${fmt(o.coldFirstUs)}) ` +
        `| ${fmt(o.medianUs, 2)} / ${c ? fmt(c.median_us, 2) : '-'} = ${c ? fmt(o.medianUs / c.median_us, 3) : '-'} ` +
        `| ${fmt(o.p99Us)} / ${c ? fmt(c.p99_us) : '-'} ` +
        `| ${fmt(o.totalMs, 2)} / ${c ? fmt(c.session_total_ms, 2) : '-'} = ${c ? fmt(o.totalMs / c.session_total_ms, 3) : '-'} (1st session ${fmt(o.coldTotalMs, 1)}) ` +
        `| ${fmt(o.fullMedianUs, 2)} / ${fmt(o.fullTotalMs, 2)} ` +
        `| ${fmt(e.undoMedianMs, 2)} (p90 ${fmt(e.undoP90Ms, 2)}) | ${fmt(e.eraseMedianMs, 2)} (p90 ${fmt(e.eraseP90Ms, 2)}) ` +
        `| ${o.counters.visitedMedian} / ${o.counters.testsMedian} / ${o.counters.changesMedian} |`
    )
    if (c) {
      if (Math.abs(c.top5 - o.top5) > 0.00005 || Math.abs(c.mean - o.mean) > 0.00005)
        checks.push(
          `${s.name}: scores differ from the anchor: ours ${o.top5} / ${o.mean}, anchor ${c.top5} / ${c.mean}`
        )
      if (s.targets.median)
        checks.push(
          `${s.name}: per-stroke median ratio ${fmt(o.medianUs / c.median_us, 3)} <= ${s.targets.median}: ${mark(o.medianUs / c.median_us <= s.targets.median)}`
        )
      if (s.targets.total)
        checks.push(
          `${s.name}: session total ratio ${fmt(o.totalMs / c.session_total_ms, 3)} <= ${s.targets.total}: ${mark(o.totalMs / c.session_total_ms <= s.targets.total)}`
        )
      if (log.width === 500)
        checks.push(
          `${s.name}: reference set-up ${fmt(o.initUs)} us vs anchor ${fmt(c.init_us)} us: ${mark(o.initUs <= c.init_us)}`
        )
    }
    if (log.width === 500)
      checks.push(
        `${s.name}: first stroke ${fmt(o.firstUs)} us (first session after start-up ${fmt(o.coldFirstUs)} us) <= 2000 us: ${mark(o.coldFirstUs <= 2000)}`
      )
    const limit = log.width <= 500 ? 2 : 30
    checks.push(
      `${s.name}: undo median ${fmt(e.undoMedianMs, 2)} ms, erase median ${fmt(e.eraseMedianMs, 2)} ms <= ${limit} ms: ${mark(e.undoMedianMs <= limit && e.eraseMedianMs <= limit)}`
    )
    if (s.name === 'realistic' || s.name === 'seed') {
      const bytes = retainedBytes(log)
      if (bytes !== null)
        checks.push(
          `${s.name}: retained memory per evaluator ${fmt(bytes / 1024 / 1024, 2)} MB <= 2 MB: ${mark(bytes <= 2 * 1024 * 1024)}`
        )
    }
  }

  if (ANCHORS)
    io.out(`Streaming evaluator vs the C anchor (../shared/anchors/native_stream.c, gcc -O2), ${REPS} reps, same run.`)
  else {
    io.out(
      `Anchors not found (${join(root, '..', 'shared', 'anchors')}): our figures only, on the project's own sessions of the same sizes (tools/sessions/); the C comparison was skipped.`
    )
    io.out(`Streaming evaluator, ${REPS} reps.`)
  }
  io.out(
    'Times: ours / anchor = ratio, for the same work per stroke: add the stroke, then the top-5 error (what the anchor'
  )
  io.out(
    'computes). "full eval" is what the app asks per stroke: add, then the whole evaluation (median us / session total ms).'
  )
  io.out(
    'Ours after the evaluation process warm-up (as in the app); "1st session" is the first run of a session, the rest are'
  )
  io.out(
    'medians over 5 more runs (per-stroke medians over all their strokes; session total: median of the runs; the anchor'
  )
  io.out('prints its last run).')
  io.out(
    'Counters (ours, per stroke, medians): frame cells visited / reference pixels tested / reference errors changed.\n'
  )
  io.out(
    '| session | side | ref px | stroke px | init ms | first stroke us | median us | p99 us | session total ms | full eval | undo ms | erase ms | counters |'
  )
  io.out('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const r of rows) io.out(r)
  io.out('\nTargets:')
  for (const c of checks) io.out(`- ${c}`)
}

if (import.meta.main) {
  try {
    runEvaluatorBench({ out: (line) => console.log(line) })
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(2)
  }
}
