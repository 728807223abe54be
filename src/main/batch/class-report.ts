// The class report's rows: one per student and reference, from the scored files (pure). A
// student is the name the export carries, else the first folder under the report's folder the
// file lies in; a combined image's reference is its reference half (the same half, the same
// reference), named after the first file that has it.
import type { DrillFigure } from '#shared/drills/index.ts'
import { toCsv, type CsvValue } from '#main/history/csv.ts'
import type { StudyResult } from './study-task.ts'

export const NO_STUDENT = '(no name)'

/** One scored drawing. */
export interface ClassStudy {
  file: string
  student: string
  referenceId: string
  referenceName: string
  /** null: the drawing was empty. */
  top5Error: number | null
  /** When it was drawn (exports), for the order of attempts; null for combined images (file order). */
  startedAt: string | null
  drill: DrillFigure | null
  /** Every figure of the evaluation behind it (for the JSON). */
  result: Extract<StudyResult, { ok: true }>
}

export interface ClassRow {
  student: string
  referenceId: string
  referenceName: string
  attempts: number
  /** Scored attempts only (an empty drawing has no score). */
  best: number | null
  mean: number | null
  first: number | null
  latest: number | null
  bestFile: string | null
  latestFile: string
  /** A drill's own headline figure: name, unit, best and latest. */
  drill: { name: string; label: string; unit: DrillFigure['unit']; best: number; latest: number } | null
}

export function studentOf(file: string, fromExport: string | null): string {
  if (fromExport) return fromExport
  const parts = file.split(/[\\/]/)
  return parts.length > 1 ? parts[0] : NO_STUDENT
}

export function classStudies(results: readonly StudyResult[]): ClassStudy[] {
  const out: ClassStudy[] = []
  const combinedNames = new Map<string, string>()
  for (const r of results) {
    if (!r.ok) continue
    const top5Error = r.evaluation.status === 'scored' ? r.evaluation.top5Error : null
    if (r.kind === 'combined') {
      if (!combinedNames.has(r.referenceKey)) combinedNames.set(r.referenceKey, stem(r.file))
      out.push({
        file: r.file,
        student: studentOf(r.file, null),
        referenceId: `combined:${r.referenceKey}`,
        referenceName: combinedNames.get(r.referenceKey)!,
        top5Error,
        startedAt: null,
        drill: null,
        result: r
      })
    } else {
      out.push({
        file: r.file,
        student: studentOf(r.file, r.student),
        referenceId: r.reference.id,
        referenceName: r.reference.name,
        top5Error,
        startedAt: r.startedAt,
        drill: r.drill?.headline ?? null,
        result: r
      })
    }
  }
  return out
}

const stem = (file: string): string => (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]+$/, '')

/** Rows sorted by student, then reference name; attempts in the order they were drawn. */
export function classRows(studies: readonly ClassStudy[]): ClassRow[] {
  const groups = new Map<string, ClassStudy[]>()
  for (const s of studies) {
    const key = JSON.stringify([s.student, s.referenceId])
    const g = groups.get(key)
    if (g) g.push(s)
    else groups.set(key, [s])
  }
  const rows: ClassRow[] = []
  for (const group of groups.values()) {
    const ordered = [...group].sort(
      (a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.file.localeCompare(b.file)
    )
    const scored = ordered.filter((s) => s.top5Error !== null)
    const best = scored.reduce<ClassStudy | null>((m, s) => (m === null || s.top5Error! < m.top5Error! ? s : m), null)
    const drills = ordered.filter((s) => s.drill !== null)
    const last = ordered[ordered.length - 1]
    rows.push({
      student: last.student,
      referenceId: last.referenceId,
      referenceName: ordered[0].referenceName,
      attempts: ordered.length,
      best: best?.top5Error ?? null,
      mean: scored.length ? scored.reduce((a, s) => a + s.top5Error!, 0) / scored.length : null,
      first: scored[0]?.top5Error ?? null,
      latest: scored.at(-1)?.top5Error ?? null,
      bestFile: best?.file ?? null,
      latestFile: last.file,
      drill: drills.length
        ? {
            name: drills[0].drill!.name,
            label: drills[0].drill!.label,
            unit: drills[0].drill!.unit,
            best: Math.min(...drills.map((s) => Math.abs(s.drill!.value))),
            latest: drills.at(-1)!.drill!.value
          }
        : null
    })
  }
  return rows.sort(
    (a, b) =>
      a.student.localeCompare(b.student) ||
      a.referenceName.localeCompare(b.referenceName) ||
      a.referenceId.localeCompare(b.referenceId)
  )
}

export const CSV_HEADER = [
  'student',
  'reference',
  'reference_id',
  'attempts',
  'best_top5_error',
  'mean_top5_error',
  'first_top5_error',
  'latest_top5_error',
  'drill_figure',
  'drill_unit',
  'drill_best',
  'drill_latest',
  'best_file'
] as const

/** Figures to three decimals in the CSV (the JSON keeps full precision). */
const round = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 1000)

export function classCsv(rows: readonly ClassRow[]): string {
  return toCsv(
    CSV_HEADER,
    rows.map((r): CsvValue[] => [
      r.student,
      r.referenceName,
      r.referenceId,
      r.attempts,
      round(r.best),
      round(r.mean),
      round(r.first),
      round(r.latest),
      r.drill?.name ?? null,
      r.drill ? { px: 'px', deg: 'degrees', pct: '%', count: 'count' }[r.drill.unit] : null,
      r.drill ? round(r.drill.best) : null,
      r.drill ? round(r.drill.latest) : null,
      r.bestFile
    ])
  )
}
