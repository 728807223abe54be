// History export: CSV (one row per attempt, the headline figures) for spreadsheets, JSON (the
// full final evaluation of each attempt) for programs. Journals are not exported: they are
// large and only replay needs them.
import type { ExportFormat } from '#shared/contract/history.ts'
import type { NamedFile } from '#shared/contract/files.ts'
import { toCsv } from './csv.ts'
import type { ExportRow } from './store.ts'

export const CSV_COLUMNS = [
  'attempt_id',
  'reference_id',
  'reference_name',
  'started_at',
  'ended_at',
  'active_ms',
  'stroke_count',
  'top5_error',
  'mean_error',
  'top_error',
  'precision',
  'recall',
  'f1'
] as const

export function historyCsv(rows: readonly ExportRow[]): string {
  return toCsv(
    CSV_COLUMNS,
    rows.map((r) => {
      const e = r.evaluation?.status === 'scored' ? r.evaluation : null
      return [
        r.attemptId,
        r.reference.id,
        r.reference.name,
        r.startedAt,
        r.endedAt,
        r.activeMs,
        r.strokeCount,
        r.top5Error,
        e?.meanError ?? null,
        e?.topError ?? null,
        e?.precision ?? null,
        e?.recall ?? null,
        e?.f1 ?? null
      ]
    })
  )
}

export function historyJson(rows: readonly ExportRow[], exportedAt: Date): string {
  return (
    JSON.stringify(
      { format: 'sightline-history', version: 1, exportedAt: exportedAt.toISOString(), attempts: rows },
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
  at: Date
): NamedFile {
  const name = exportFileName(format, referenceId, at)
  if (format === 'csv')
    return {
      name,
      mime: 'text/csv; charset=utf-8',
      bytes: new TextEncoder().encode(`\uFEFF${historyCsv(rows)}`)
    }
  return { name, mime: 'application/json', bytes: new TextEncoder().encode(historyJson(rows, at)) }
}
