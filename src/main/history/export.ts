// History export: CSV (one row per attempt, the headline figures) for spreadsheets, JSON (the
// final evaluation of each attempt) for reading elsewhere. Both are meant for people: figures
// are rounded to two decimals (the float noise of 7.5200000000000005 helps nobody), the person's
// name (settings) is on each. Journals are not exported: they are large and only replay needs them.
import type { ExportFormat } from '#shared/contract/history.ts'
import type { NamedFile } from '#shared/contract/files.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { toCsv } from './csv.ts'
import type { ExportRow } from './store.ts'

export const HISTORY_EXPORT_VERSION = 2

export const CSV_COLUMNS = [
  'name',
  'attempt_id',
  'reference_id',
  'reference_name',
  'started_at',
  'ended_at',
  'active_ms',
  'stroke_count',
  'frame_width',
  'frame_height',
  'discarded',
  'top5_error',
  'mean_error',
  'top_error',
  'precision',
  'recall',
  'f1'
] as const

/** Two decimals, as a number (so 7.5200000000000005 is written 7.52). */
export const round2 = (v: number): number => Math.round(v * 100) / 100

const round2OrNull = (v: number | null | undefined): number | null => (v === null || v === undefined ? null : round2(v))

/** An evaluation with its figures at two decimals; counts, the grid and the cells are whole numbers already. */
export function roundedEvaluation(e: Evaluation): Evaluation {
  if (e.status !== 'scored') return e
  return {
    ...e,
    top5Error: round2(e.top5Error),
    meanError: round2(e.meanError),
    topError: round2(e.topError),
    extraInk: { mean: round2(e.extraInk.mean), max: round2(e.extraInk.max) },
    missedLines: { mean: round2(e.missedLines.mean), max: round2(e.missedLines.max) },
    precision: round2(e.precision),
    recall: round2(e.recall),
    f1: round2(e.f1)
  }
}

export function historyCsv(rows: readonly ExportRow[], name = ''): string {
  return toCsv(
    CSV_COLUMNS,
    rows.map((r) => {
      const e = r.evaluation?.status === 'scored' ? r.evaluation : null
      return [
        name,
        r.attemptId,
        r.reference.id,
        r.reference.name,
        r.startedAt,
        r.endedAt,
        r.activeMs,
        r.strokeCount,
        r.frame.width,
        r.frame.height,
        r.discarded ? 'yes' : 'no',
        round2OrNull(r.top5Error),
        round2OrNull(e?.meanError),
        round2OrNull(e?.topError),
        round2OrNull(e?.precision),
        round2OrNull(e?.recall),
        round2OrNull(e?.f1)
      ]
    })
  )
}

export function historyJson(rows: readonly ExportRow[], exportedAt: Date, name = ''): string {
  const attempts = rows.map((r) => ({
    ...r,
    top5Error: round2OrNull(r.top5Error),
    evaluation: r.evaluation && roundedEvaluation(r.evaluation)
  }))
  return (
    JSON.stringify(
      {
        format: 'sightline-history',
        version: HISTORY_EXPORT_VERSION,
        exportedAt: exportedAt.toISOString(),
        name,
        attempts
      },
      null,
      2
    ) + '\n'
  )
}

export function exportFileName(format: ExportFormat, referenceId: string | undefined, at: Date): string {
  const day = at.toISOString().slice(0, 10)
  const scope = referenceId === undefined ? '' : `-${referenceId.replace(/[^a-z0-9_-]+/g, '-')}`
  return `sightline-history${scope}-${day}.${format}`
}

/** The export as bytes; the CSV starts with a UTF-8 BOM so spreadsheets read names correctly. */
export function buildExport(
  format: ExportFormat,
  rows: readonly ExportRow[],
  referenceId: string | undefined,
  at: Date,
  name = ''
): NamedFile {
  const file = exportFileName(format, referenceId, at)
  if (format === 'csv')
    return {
      name: file,
      mime: 'text/csv; charset=utf-8',
      bytes: new TextEncoder().encode(`\uFEFF${historyCsv(rows, name)}`)
    }
  return { name: file, mime: 'application/json', bytes: new TextEncoder().encode(historyJson(rows, at, name)) }
}
