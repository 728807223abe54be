// `sightline report`: the original tool's batch report (spec section 5) over a folder of combined
// images, scored on every core (src/main/batch/), with progress on stderr. A file that cannot be
// scored is listed with the reason and skipped, never the end of the run.
import { readdir } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { extname, join, relative, sep } from 'node:path'
import type { LegacyBackground } from '#main/references/ink.ts'
import { runPool } from '#main/batch/pool.ts'
import { Progress, type ProgressSink } from '#main/batch/progress.ts'
import type { StudyResult, StudyTask } from '#main/batch/study-task.ts'
import { CliError } from './errors.ts'

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif', '.bmp'])

/** The worker's script: the TypeScript beside this file, or the bundle's own build of it. */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('../../batch/study-worker.ts', import.meta.url)
  : new URL('./study-worker.js', import.meta.url)

export interface Study {
  file: string
  top5Error: number
}

export interface BatchReport {
  count: number
  average: number | null
  min: number | null
  max: number | null
  /** Whole-percent bins: bin k counts studies with k <= top5Error < k + 1. */
  histogram: { bin: number; count: number }[]
  best: Study | null
  worst: Study | null
  /** The middle study by top5Error (the lower middle for an even count). */
  median: Study | null
  /** Files that could not be scored, and why. */
  skipped: { file: string; reason: string }[]
}

export function summarise(studies: Study[], skipped: BatchReport['skipped']): BatchReport {
  const sorted = [...studies].sort((a, b) => a.top5Error - b.top5Error || a.file.localeCompare(b.file))
  const bins = new Map<number, number>()
  for (const s of sorted) bins.set(Math.floor(s.top5Error), (bins.get(Math.floor(s.top5Error)) ?? 0) + 1)
  const n = sorted.length
  return {
    count: n,
    average: n ? sorted.reduce((a, s) => a + s.top5Error, 0) / n : null,
    min: n ? sorted[0].top5Error : null,
    max: n ? sorted[n - 1].top5Error : null,
    histogram: [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([bin, count]) => ({ bin, count })),
    best: n ? sorted[0] : null,
    worst: n ? sorted[n - 1] : null,
    median: n ? sorted[Math.floor((n - 1) / 2)] : null,
    skipped
  }
}

export interface BatchOptions {
  background: LegacyBackground
  /** Worker threads (default: one per core). */
  workers?: number
  /** Where progress goes (nothing when absent). */
  progress?: ProgressSink
}

/** Every image file under `folder` (subfolders included, hidden ones not), sorted, as paths inside it. */
export async function imageFiles(folder: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(
      `${folder}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (err as Error).message}`
    )
  }
  return entries
    .filter((d) => d.isFile() && IMAGE_EXTENSIONS.has(extname(d.name).toLowerCase()))
    .map((d) => relative(folder, join(d.parentPath, d.name)))
    .filter((file) => !file.split(sep).some((part) => part.startsWith('.')))
    .sort()
}

/** Score every file (on a pool of worker threads) and answer per file, in the files' order. */
export async function scoreFiles(folder: string, files: string[], options: BatchOptions): Promise<StudyResult[]> {
  const tasks: StudyTask[] = files.map((file) => ({
    kind: 'combined',
    path: join(folder, file),
    file,
    background: options.background
  }))
  const progress = options.progress && tasks.length > 0 ? new Progress(options.progress, tasks.length) : null
  const results = await runPool<StudyTask, StudyResult>(tasks, {
    entry: WORKER_ENTRY,
    workers: options.workers ?? availableParallelism(),
    onCrash: (task, reason) => ({ ok: false, file: task.file, reason: `the scorer stopped on this file (${reason})` }),
    onResult: (_, result) => progress?.tick(result.ok)
  })
  progress?.end()
  return results
}

export async function batchReport(folder: string, options: BatchOptions): Promise<BatchReport> {
  const files = await imageFiles(folder)
  const results = await scoreFiles(folder, files, options)
  const studies: Study[] = []
  const skipped: BatchReport['skipped'] = []
  for (const r of results) {
    if (!r.ok) skipped.push({ file: r.file, reason: r.reason })
    else if (r.evaluation.status === 'empty') skipped.push({ file: r.file, reason: 'the drawing half has no ink' })
    else studies.push({ file: r.file, top5Error: r.evaluation.top5Error })
  }
  return summarise(studies, skipped)
}

export function formatReport(r: BatchReport): string[] {
  const lines = [`studies       ${r.count}`]
  if (r.count > 0) {
    lines.push(
      `top5Error     average ${r.average!.toFixed(1)} %, min ${r.min!.toFixed(1)} %, max ${r.max!.toFixed(1)} %`
    )
    lines.push(`best          ${r.best!.file} (${r.best!.top5Error.toFixed(1)} %)`)
    lines.push(`median        ${r.median!.file} (${r.median!.top5Error.toFixed(1)} %)`)
    lines.push(`worst         ${r.worst!.file} (${r.worst!.top5Error.toFixed(1)} %)`)
    lines.push('histogram (whole-percent bins):')
    const widest = Math.max(...r.histogram.map((h) => h.count))
    for (const h of r.histogram)
      lines.push(
        `  ${String(h.bin).padStart(3)}-${String(h.bin + 1).padEnd(3)} % ${'#'.repeat(Math.max(1, Math.round((h.count / widest) * 40)))} ${h.count}`
      )
  }
  for (const s of r.skipped) lines.push(`skipped       ${s.file}: ${s.reason}`)
  return lines
}
