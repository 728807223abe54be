// The original tool's batch report (spec section 5) over a folder of combined images.
import { readdir } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { LegacyBackground } from '#main/references/ink.ts'
import { COMBINED, inkFromCombinedImage } from '#main/references/extract.ts'
import { toCsv, type CsvValue } from '#main/history/csv.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { FullEvaluation } from '#shared/contract/scores.ts'
import { alignmentWords } from '#shared/feedback/alignment-words.ts'
import { evaluateMasks } from './evaluate.ts'
import { CliError } from './errors.ts'

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif', '.bmp'])

export interface Study {
  file: string
  top5Error: number
}

/** One scored file and every figure of its full evaluation. */
export type ScoredFile = { file: string } & FullEvaluation

export interface BatchReport {
  /** Every scored file, in name order, with all its figures. */
  files: ScoredFile[]
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

export function summarise(files: ScoredFile[], skipped: BatchReport['skipped']): BatchReport {
  const studies: Study[] = files.map((f) => ({ file: f.file, top5Error: f.top5Error }))
  const sorted = [...studies].sort((a, b) => a.top5Error - b.top5Error || a.file.localeCompare(b.file))
  const bins = new Map<number, number>()
  for (const s of sorted) bins.set(Math.floor(s.top5Error), (bins.get(Math.floor(s.top5Error)) ?? 0) + 1)
  const n = sorted.length
  return {
    files,
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

export async function batchReport(folder: string, background: LegacyBackground): Promise<BatchReport> {
  let names: string[]
  try {
    names = (await readdir(folder, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new CliError(
      `${folder}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (err as Error).message}`
    )
  }
  const files: ScoredFile[] = []
  const skipped: BatchReport['skipped'] = []
  for (const name of names.sort()) {
    if (!IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) continue
    const path = join(folder, name)
    try {
      const { reference, drawing } = await inkFromCombinedImage(path, background)
      const e = evaluateMasks(reference.mask, drawing.mask, COMBINED.side, COMBINED.side, name).evaluation
      if (e.status === 'empty') skipped.push({ file: name, reason: 'the drawing half has no ink' })
      else files.push({ file: name, ...e })
    } catch (err) {
      if (!(err instanceof CliError || err instanceof StudioError)) throw err
      skipped.push({
        file: name,
        reason: err.message.startsWith(`${name}: `) ? err.message.slice(name.length + 2) : err.message
      })
    }
  }
  return summarise(files, skipped)
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
  if (r.files.length > 0) lines.push('files (top5Error, shape error once aligned, placement, size, rotation):')
  for (const f of r.files) {
    const w = alignmentWords(f.alignment)
    lines.push(`  ${f.file}  ${f.top5Error.toFixed(1)} %  shape ${w.shape}  ${w.placement}; ${w.size}; ${w.rotation}`)
  }
  for (const s of r.skipped) lines.push(`skipped       ${s.file}: ${s.reason}`)
  return lines
}

/** The columns of `report --csv`: the file, its scores, then its shape analysis. */
const CSV_COLUMNS: [string, (f: ScoredFile) => CsvValue][] = [
  ['file', (f) => f.file],
  ['top5Error', (f) => f.top5Error],
  ['meanError', (f) => f.meanError],
  ['topError', (f) => f.topError],
  ['extraInkMean', (f) => f.extraInk.mean],
  ['extraInkMax', (f) => f.extraInk.max],
  ['missedLinesMean', (f) => f.missedLines.mean],
  ['missedLinesMax', (f) => f.missedLines.max],
  ['precision', (f) => f.precision],
  ['recall', (f) => f.recall],
  ['f1', (f) => f.f1],
  ['tolerancePx', (f) => f.tolerancePx],
  ['referencePixels', (f) => f.referencePixels],
  ['drawingPixels', (f) => f.drawingPixels],
  ['dx', (f) => f.alignment.dx],
  ['dy', (f) => f.alignment.dy],
  ['scale', (f) => f.alignment.scale],
  ['rotationDeg', (f) => f.alignment.rotationDeg],
  ['alignedTop5Error', (f) => f.alignment.top5Error],
  ['alignedMeanError', (f) => f.alignment.meanError],
  ['widthRatio', (f) => f.proportion.widthRatio],
  ['heightRatio', (f) => f.proportion.heightRatio],
  ['skipped', () => null]
]

/** One row per file (RFC 4180): the scored ones with their figures, the skipped ones with why. */
export function reportCsv(r: BatchReport): string {
  const rows: CsvValue[][] = r.files.map((f) => CSV_COLUMNS.map(([, value]) => value(f)))
  for (const s of r.skipped)
    rows.push(CSV_COLUMNS.map(([name]) => (name === 'file' ? s.file : name === 'skipped' ? s.reason : null)))
  return toCsv(
    CSV_COLUMNS.map(([name]) => name),
    rows
  )
}
