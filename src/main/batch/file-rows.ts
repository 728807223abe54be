// One row per file of a report, with all its figures: what `sightline report --json` lists under
// `files` and `--csv` prints. A file that could not be scored is a row with its reason.
import type { Evaluation } from '#shared/contract/scores.ts'
import { toCsv, type CsvValue } from '#main/history/csv.ts'
import type { StudyResult } from './study-task.ts'

export type FileRow =
  | {
      file: string
      kind: 'combined' | 'attempt'
      student: string | null
      reference: string | null
      evaluation: Evaluation
    }
  | { file: string; skipped: string }

export function fileRows(results: readonly StudyResult[]): FileRow[] {
  return results
    .map((r): FileRow => {
      if (!r.ok) return { file: r.file, skipped: r.reason }
      if (r.kind === 'combined')
        return { file: r.file, kind: 'combined', student: null, reference: null, evaluation: r.evaluation }
      return {
        file: r.file,
        kind: 'attempt',
        student: r.student,
        reference: r.reference.name,
        evaluation: r.evaluation
      }
    })
    .sort((a, b) => a.file.localeCompare(b.file))
}

const HEADER = [
  'file',
  'kind',
  'student',
  'reference',
  'top5_error',
  'mean_error',
  'extra_ink_mean',
  'extra_ink_max',
  'missed_lines_mean',
  'missed_lines_max',
  'precision',
  'recall',
  'f1',
  'skipped'
] as const

/** Figures to three decimals, as the class report's CSV has them (the JSON keeps full precision). */
const round = (v: number): number => Math.round(v * 1000) / 1000

export function fileRowsCsv(rows: readonly FileRow[]): string {
  return toCsv(
    HEADER,
    rows.map((r): CsvValue[] => {
      if ('skipped' in r)
        return [r.file, null, null, null, null, null, null, null, null, null, null, null, null, r.skipped]
      const e = r.evaluation
      const head: CsvValue[] = [r.file, r.kind, r.student, r.reference]
      if (e.status !== 'scored') return [...head, null, null, null, null, null, null, null, null, null, 'nothing drawn']
      return [
        ...head,
        round(e.top5Error),
        round(e.meanError),
        round(e.extraInk.mean),
        round(e.extraInk.max),
        round(e.missedLines.mean),
        round(e.missedLines.max),
        round(e.precision),
        round(e.recall),
        round(e.f1),
        null
      ]
    })
  )
}
