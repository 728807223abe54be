// `sightline report`: over a folder of exported attempts and of the original tool's combined images
// (spec section 5), scored on every core (src/main/batch/) with progress on stderr: the original
// tool's summary, and one row per student and reference (CSV, JSON, a printable sheet per student).
// A file that cannot be scored is listed with the reason and skipped, never the end of the run.
import { join } from 'node:path'
import type { LegacyBackground } from '#main/references/ink.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { runClassReport, scoreTasks, type ClassRun } from '#main/batch/class-run.ts'
import type { ClassRow } from '#main/batch/class-report.ts'
import type { ProgressSink } from '#main/batch/progress.ts'
import { scanFolder } from '#main/batch/scan.ts'
import type { StudyResult } from '#main/batch/study-task.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { CliError } from './errors.ts'

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
  /** Assignment packs holding references the exported attempts need. */
  packs?: string[]
  resourcesDir?: string
}

/** The original tool's summary over every scored file, empty drawings listed with the skipped. */
export function batchSummary(results: readonly StudyResult[]): BatchReport {
  const studies: Study[] = []
  const skipped: BatchReport['skipped'] = []
  for (const r of results) {
    if (!r.ok) skipped.push({ file: r.file, reason: r.reason })
    else if (r.evaluation.status === 'empty')
      skipped.push({
        file: r.file,
        reason: r.kind === 'combined' ? 'the drawing half has no ink' : 'the drawing is empty'
      })
    else studies.push({ file: r.file, top5Error: r.evaluation.top5Error })
  }
  return summarise(studies, skipped)
}

/** Every combined image and exported attempt under `folder`, scored, grouped and summarised. */
export async function classReport(folder: string, options: BatchOptions): Promise<ClassRun> {
  try {
    return await runClassReport(folder, { ...options, resourcesDir: options.resourcesDir ?? defaultResourcesDir() })
  } catch (err) {
    if (err instanceof StudioError && err.code === 'not-found' && err.message.startsWith(`${folder}: `))
      throw new CliError(err.message)
    throw err
  }
}

export async function batchReport(folder: string, options: BatchOptions): Promise<BatchReport> {
  return batchSummary((await classReport(folder, options)).results)
}

/** The combined images under `folder` (what the benchmark scores), as paths inside it. */
export async function imageFiles(folder: string): Promise<string[]> {
  return (await scanFolder(folder)).combined
}

/** Score combined images on the worker pool (the benchmark's entry). */
export function scoreFiles(folder: string, files: string[], options: BatchOptions): Promise<StudyResult[]> {
  return scoreTasks(
    files.map((file) => ({ kind: 'combined', path: join(folder, file), file, background: options.background })),
    { ...options, resourcesDir: options.resourcesDir ?? defaultResourcesDir() }
  )
}

/** The class table for people: one line per student and reference. */
export function formatRows(rows: readonly ClassRow[]): string[] {
  if (rows.length === 0) return []
  const f = (v: number | null): string => (v === null ? '-' : v.toFixed(1))
  const width = Math.min(24, Math.max(7, ...rows.map((r) => r.student.length)))
  const refWidth = Math.min(28, Math.max(9, ...rows.map((r) => r.referenceName.length)))
  const lines = [
    `${'student'.padEnd(width)}  ${'reference'.padEnd(refWidth)}  attempts   best   mean  latest  (top5Error %)`
  ]
  for (const r of rows)
    lines.push(
      `${r.student.slice(0, width).padEnd(width)}  ${r.referenceName.slice(0, refWidth).padEnd(refWidth)}  ${String(r.attempts).padStart(8)}  ${f(r.best).padStart(5)}  ${f(r.mean).padStart(5)}  ${f(r.latest).padStart(6)}`
    )
  return lines
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
