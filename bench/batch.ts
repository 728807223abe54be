// `sightline report`'s speed on a folder of combined images (the original tool's layout, 1010 x
// 500), against the Python yardstick (../shared/anchors/python_baseline.py) on the same images in
// the same run: images per second with one worker and with one per core, where the time goes per
// image, and a check that every score equals the per-image path's (sharp decode + the streaming
// evaluator). Machine-dependent: compare the ratios within one run. `npm run bench:batch [-- N]`.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import { writeCombinedFolder } from '#tools/combined-images.ts'
import { imageFiles, scoreFiles } from '#main/shells/cli/report.ts'
import { readPngPixels } from '#main/batch/png-pixels.ts'
import { combinedHalvesFromPng } from '#main/batch/combined-ink.ts'
import { FullScorer } from '#main/batch/full-score.ts'
import { inkFromCombinedImage } from '#main/references/extract.ts'
import { scoreMasks } from '#main/shells/cli/evaluate.ts'
import { MAX_REFERENCE_PIXELS } from '#shared/contract/references.ts'
import type { Evaluation } from '#shared/contract/scores.ts'

const COUNT = Number(process.argv[2] ?? 300)
const REPS = 3
const SEED = 1
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
// Beside the project (../shared/anchors), or beside the folder of worktrees it is one of, or
// wherever SIGHTLINE_ANCHORS says.
const ANCHOR_DIRS = [
  process.env.SIGHTLINE_ANCHORS,
  join(ROOT, '..', 'shared', 'anchors'),
  join(ROOT, '..', '..', 'shared', 'anchors')
].filter((d): d is string => d !== undefined)
const BASELINE =
  ANCHOR_DIRS.map((d) => join(d, 'python_baseline.py')).find((p) => existsSync(p)) ??
  join(ANCHOR_DIRS[0], 'python_baseline.py')

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]
const cpuMs = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

async function folder(): Promise<string> {
  const dir = join(tmpdir(), `sightline-bench-batch-${COUNT}-${SEED}`)
  if (!existsSync(dir) || readdirSync(dir).filter((f) => f.endsWith('.png')).length !== COUNT) {
    process.stdout.write(`generating ${COUNT} combined images in ${dir} ... `)
    await writeCombinedFolder(dir, COUNT, SEED)
    process.stdout.write('done\n')
  }
  return dir
}

interface PythonRun {
  imagesPerS: number
  wallS: number
  cpuS: number
  top5: Map<string, number | null>
}

/** null, with the reason printed, when the anchors or numpy + scipy are not there. */
function pythonAvailable(): string | null {
  if (!existsSync(BASELINE))
    return `the Python baseline is absent (looked in ${ANCHOR_DIRS.join(', ')}; set SIGHTLINE_ANCHORS)`
  const probe = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' })
  if (probe.error) return 'python3 is not installed'
  if (probe.status !== 0) return 'python3 has no numpy or scipy (Debian: apt-get install python3-numpy python3-scipy)'
  return null
}

function runPython(dir: string): PythonRun {
  const started = performance.now()
  const run = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'python3', BASELINE, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024
  })
  const wallS = (performance.now() - started) / 1000
  if (run.status !== 0) throw new Error(`the Python baseline failed: ${run.stderr.trim()}`)
  const out = run.stdout
  // The whole process's CPU time (its interpreter and imports too), from /usr/bin/time.
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr)
  const cpuS = cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN
  const lines = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  const summary = lines[lines.length - 1] as { images: number; total_s: number; images_per_s: number }
  const top5 = new Map<string, number | null>()
  for (const l of lines.slice(0, -1)) top5.set(l.file as string, typeof l.top5Error === 'number' ? l.top5Error : null)
  return { imagesPerS: summary.images / summary.total_s, wallS, cpuS, top5 }
}

async function runOurs(dir: string, files: string[], workers: number) {
  const cpu0 = cpuMs()
  const started = performance.now()
  const results = await scoreFiles(dir, files, { background: 'white', workers })
  const wallS = (performance.now() - started) / 1000
  return { results, wallS, imagesPerS: files.length / wallS, cpuMsPerImage: (cpuMs() - cpu0) / files.length }
}

/** Per-image stages on this thread, and the per-image path before this batch (sharp + streaming). */
async function stages(dir: string, files: string[]) {
  const scorer = new FullScorer(500, 500)
  const t = { read: 0, decode: 0, score: 0 }
  const bytesOf = files.map((f) => readFileSync(join(dir, f)))
  for (let rep = 0; rep < 2; rep++) {
    for (let i = 0; i < files.length; i++) {
      let a = cpuMs()
      const bytes = readFileSync(join(dir, files[i]))
      let b = cpuMs()
      if (rep) t.read += b - a
      a = b
      const png = readPngPixels(bytesOf[i], MAX_REFERENCE_PIXELS)
      const halves = png && combinedHalvesFromPng(png, 'white')
      b = cpuMs()
      if (rep) t.decode += b - a
      a = b
      if (!halves) throw new Error(`${files[i]}: the PNG path declined it`)
      scorer.evaluateViews(halves.reference, halves.drawing)
      b = cpuMs()
      if (rep) t.score += b - a
      void bytes
    }
  }
  const old = { decode: 0, score: 0 }
  const some = files.slice(0, Math.min(60, files.length))
  for (const f of some) {
    let a = cpuMs()
    const { reference, drawing } = await inkFromCombinedImage(join(dir, f))
    let b = cpuMs()
    old.decode += b - a
    a = b
    scoreMasks(reference.mask, drawing.mask, 500, 500)
    b = cpuMs()
    old.score += b - a
  }
  const per = (v: number, n: number): string => `${(v / n).toFixed(2)} ms`
  return [
    `where the time goes, CPU per image on one thread (${files.length} images):`,
    `  read the file        ${per(t.read, files.length)}`,
    `  PNG decode + ink     ${per(t.decode, files.length)}   (zlib inflate, row filters, legacy rule read in place)`,
    `  2 distance transforms + scores ${per(t.score, files.length)}`,
    `  before (per-image path, ${some.length} images): sharp decode + ink ${per(old.decode, some.length)}, streaming evaluator ${per(old.score, some.length)}`
  ]
}

/** Every score of the batch equals the per-image path's, field for field. */
async function exactness(dir: string, files: string[], results: Awaited<ReturnType<typeof runOurs>>['results']) {
  let same = 0
  for (let i = 0; i < files.length; i++) {
    const r = results[i]
    const { reference, drawing } = await inkFromCombinedImage(join(dir, files[i]))
    const expected: Evaluation = scoreMasks(reference.mask, drawing.mask, 500, 500).evaluation
    if (r.ok && isDeepStrictEqual(r.evaluation, expected)) same++
    else console.log(`  DIFFERENT: ${files[i]}`)
  }
  return same
}

const dir = await folder()
const files = await imageFiles(dir)
const cores = availableParallelism()
const pythonMissing = pythonAvailable()
console.log(
  `sightline report on ${files.length} combined images (1010 x 500), ${cores} cores, ${REPS} runs each, interleaved; median of the runs`
)
if (pythonMissing) console.log(`Python baseline: skipped: ${pythonMissing}`)

const py: PythonRun[] = []
const one: Awaited<ReturnType<typeof runOurs>>[] = []
const all: Awaited<ReturnType<typeof runOurs>>[] = []
for (let rep = 0; rep < REPS; rep++) {
  if (!pythonMissing) py.push(runPython(dir))
  one.push(await runOurs(dir, files, 1))
  all.push(await runOurs(dir, files, cores))
}

const ips = (runs: { imagesPerS: number }[]): number => median(runs.map((r) => r.imagesPerS))
const pyIps = py.length ? ips(py) : null
const oneIps = ips(one)
const allIps = ips(all)
const row = (name: string, v: number, extra: string): string =>
  `  ${name.padEnd(34)} ${v.toFixed(1).padStart(8)} images/s  ${extra}`
console.log('')
if (pyIps !== null) console.log(row('Python (scipy), one process', pyIps, ''))
console.log(
  row('sightline report, 1 worker', oneIps, pyIps !== null ? `${(oneIps / pyIps).toFixed(1)}x Python (target 5x)` : '')
)
console.log(
  row(
    `sightline report, ${cores} workers`,
    allIps,
    `${(allIps / oneIps).toFixed(2)}x 1 worker (target 1.7x on 2 cores)` +
      (pyIps !== null ? `, ${(allIps / pyIps).toFixed(1)}x Python` : '')
  )
)
console.log(
  `  (runs, images/s: Python ${py.map((r) => r.imagesPerS.toFixed(0)).join(' ') || '-'}; 1 worker ${one.map((r) => r.imagesPerS.toFixed(0)).join(' ')}; ${cores} workers ${all.map((r) => r.imagesPerS.toFixed(0)).join(' ')})`
)
const oneCpu = median(one.map((r) => r.cpuMsPerImage))
const pyCpu = py.length ? median(py.map((r) => (r.cpuS * 1000) / files.length)) : null
// CPU time is what a loaded machine (other processes on the cores) disturbs least.
console.log(
  `  CPU per image (all threads): 1 worker ${oneCpu.toFixed(2)} ms, ${cores} workers ${median(all.map((r) => r.cpuMsPerImage)).toFixed(2)} ms` +
    (pyCpu !== null ? `; Python ${pyCpu.toFixed(2)} ms (whole process), ${(pyCpu / oneCpu).toFixed(1)}x ours` : '')
)
console.log(
  `  load average at the end: ${loadavg()[0].toFixed(1)} on ${cores} cores (wall-clock figures shrink as it grows)`
)
console.log('')
for (const line of await stages(dir, files)) console.log(line)

console.log('')
const same = await exactness(dir, files, all[0].results)
console.log(`exactness: ${same} of ${files.length} evaluations equal the per-image path's field for field`)
if (py.length) {
  let agree = 0
  for (let i = 0; i < files.length; i++) {
    const r = all[0].results[i]
    const p = py[0].top5.get(files[i].split('/').pop()!)
    if (r.ok && r.evaluation.status === 'scored' && p === r.evaluation.top5Error) agree++
  }
  console.log(`           ${agree} of ${files.length} top5Error values equal Python's exactly`)
}
