// The original tool's batch report (spec section 5) over a folder of combined images.
import { readdir } from 'node:fs/promises'
import { extname, join } from 'node:path'
import type { LegacyBackground } from '#main/references/ink.ts'
import { COMBINED, inkFromCombinedImage } from '#main/references/extract.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { evaluateMasks } from './evaluate.ts'
import { CliError } from './errors.ts'

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif', '.bmp'])

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
  const studies: Study[] = []
  const skipped: BatchReport['skipped'] = []
  for (const name of names.sort()) {
    if (!IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) continue
    const path = join(folder, name)
    try {
      const { reference, drawing } = await inkFromCombinedImage(path, background)
      const e = evaluateMasks(reference.mask, drawing.mask, COMBINED.side, COMBINED.side, name)
      if (e.status === 'empty') skipped.push({ file: name, reason: 'the drawing half has no ink' })
      else studies.push({ file: name, top5Error: e.top5Error })
    } catch (err) {
      if (!(err instanceof CliError || err instanceof StudioError)) throw err
      skipped.push({
        file: name,
        reason: err.message.startsWith(`${name}: `) ? err.message.slice(name.length + 2) : err.message
      })
    }
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
