// A class report from a folder: scan it, score every file on the worker pool, group the scores
// into rows (class-report.ts), and on request write the CSV, the JSON and a sheet per student.
import { mkdir, readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, join } from 'node:path'
import sharp from 'sharp'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { LegacyBackground } from '#main/references/ink.ts'
import { writeFileAtomic } from '#main/platform/atomic-file.ts'
import { safeBaseName } from '#main/render/attempt-files.ts'
import { COMBINED } from '#main/references/combined-layout.ts'
import { drawingFromOps, drawingFromPng, readSessionExport } from './attempt-study.ts'
import { classCsv, classRows, classStudies, type ClassRow, type ClassStudy } from './class-report.ts'
import { runPool } from './pool.ts'
import { Progress, type ProgressSink } from './progress.ts'
import { ReferenceInkFinder } from './reference-ink.ts'
import { scanFolder } from './scan.ts'
import { renderSheet, thumbnail, type SheetRow } from './sheets.ts'
import type { StudyResult, StudyTask, WorkerSetup } from './study-task.ts'

/** The worker's script: the TypeScript beside this file, or the bundle's own build of it. */
const WORKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./study-worker.ts', import.meta.url)
  : new URL('./study-worker.js', import.meta.url)

export interface ClassRunOptions {
  background: LegacyBackground
  /** Worker threads (default: one per core). */
  workers?: number
  progress?: ProgressSink
  /** Assignment packs given besides the ones in the folder. */
  packs?: string[]
  resourcesDir: string
}

export interface ClassRun {
  folder: string
  /** Every file, in the folder's order: scored or skipped with the reason. */
  results: StudyResult[]
  studies: ClassStudy[]
  rows: ClassRow[]
  packs: string[]
}

export async function runClassReport(folder: string, options: ClassRunOptions): Promise<ClassRun> {
  const contents = await scanFolder(folder)
  const packs = [...(options.packs ?? []), ...contents.packs.map((p) => join(folder, p))]
  const tasks: StudyTask[] = [
    ...contents.attempts.map((a): StudyTask => ({
      kind: 'attempt',
      json: join(folder, a.json),
      drawing: a.drawing && join(folder, a.drawing),
      file: a.json
    })),
    ...contents.combined.map((file): StudyTask => ({
      kind: 'combined',
      path: join(folder, file),
      file,
      background: options.background
    }))
  ].sort((a, b) => a.file.localeCompare(b.file))
  const results = await scoreTasks(tasks, { ...options, packs })
  const studies = classStudies(results)
  return { folder, results, studies, rows: classRows(studies), packs }
}

/** Score every task on a pool of worker threads; answers in the tasks' order. */
export async function scoreTasks(
  tasks: StudyTask[],
  options: { workers?: number; progress?: ProgressSink; packs?: string[]; resourcesDir: string }
): Promise<StudyResult[]> {
  const progress = options.progress && tasks.length > 0 ? new Progress(options.progress, tasks.length) : null
  const setup: WorkerSetup = { resourcesDir: options.resourcesDir, packs: options.packs ?? [] }
  const results = await runPool<StudyTask, StudyResult>(tasks, {
    entry: WORKER_ENTRY,
    workers: options.workers ?? availableParallelism(),
    workerData: setup,
    onCrash: (task, reason) => ({ ok: false, file: task.file, reason: `the scorer stopped on this file (${reason})` }),
    onResult: (_, result) => progress?.tick(result.ok)
  })
  progress?.end()
  return results
}

/** The report as JSON: every row, every file's full evaluation, every file skipped. */
export function classJson(run: ClassRun, generatedAt: Date): string {
  const studies = run.studies.map((s) => ({
    file: s.file,
    student: s.student,
    referenceId: s.referenceId,
    referenceName: s.referenceName,
    startedAt: s.startedAt,
    evaluation: s.result.evaluation as Evaluation,
    drill: s.result.kind === 'attempt' ? s.result.drill : null
  }))
  const skipped = run.results.flatMap((r) => (r.ok ? [] : [{ file: r.file, reason: r.reason }]))
  return (
    JSON.stringify(
      {
        format: 'sightline-class-report',
        version: 1,
        generatedAt: generatedAt.toISOString(),
        folder: basename(run.folder),
        rows: run.rows,
        studies,
        skipped
      },
      null,
      1
    ) + '\n'
  )
}

export interface WrittenReport {
  csv: string
  json: string
  sheets: string[]
}

/** class-report.csv, class-report.json and sheets/<student>[-<page>].png in `outDir`. */
export async function writeClassReport(
  run: ClassRun,
  outDir: string,
  resourcesDir: string,
  now = new Date()
): Promise<WrittenReport> {
  await mkdir(join(outDir, 'sheets'), { recursive: true })
  const csv = join(outDir, 'class-report.csv')
  const json = join(outDir, 'class-report.json')
  await writeFileAtomic(csv, classCsv(run.rows))
  await writeFileAtomic(json, classJson(run, now))
  const pictures = new Pictures(run.folder, new ReferenceInkFinder(resourcesDir, run.packs))
  const sheets: string[] = []
  const date = now.toISOString().slice(0, 10)
  for (const student of [...new Set(run.rows.map((r) => r.student))]) {
    const rows: SheetRow[] = []
    for (const row of run.rows.filter((r) => r.student === student)) {
      const mine = run.studies.filter((s) => s.student === student && s.referenceId === row.referenceId)
      const best = mine.find((s) => s.file === row.bestFile) ?? mine[mine.length - 1]
      const [reference, drawing] = await pictures.of(best).catch(() => [null, null] as const)
      rows.push({
        row,
        reference,
        drawing,
        trend: mine
          .slice()
          .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? '') || a.file.localeCompare(b.file))
          .flatMap((s) => (s.top5Error === null ? [] : [s.top5Error]))
      })
    }
    const pages = await renderSheet({ student, source: basename(run.folder), date }, rows)
    for (const [i, png] of pages.entries()) {
      const path = join(outDir, 'sheets', `${safeBaseName(student)}${i === 0 ? '' : `-${i + 1}`}.png`)
      await writeFileAtomic(path, png)
      sheets.push(path)
    }
  }
  return { csv, json, sheets }
}

/** Thumbnails of a study's reference and drawing, as the student saw and drew them. */
class Pictures {
  private readonly folder: string
  private readonly finder: ReferenceInkFinder
  constructor(folder: string, finder: ReferenceInkFinder) {
    this.folder = folder
    this.finder = finder
  }

  async of(study: ClassStudy): Promise<readonly [Buffer | null, Buffer | null]> {
    const r = study.result
    if (r.kind === 'combined') {
      const bytes = await readFile(join(this.folder, study.file))
      const half = async (left: number): Promise<Buffer> =>
        thumbnail(
          await sharp(bytes, { failOn: 'warning' })
            .extract({ left, top: 0, width: COMBINED.side, height: COMBINED.side })
            .flatten({ background: '#ffffff' })
            .toColourspace('srgb')
            .raw()
            .toBuffer(),
          COMBINED.side,
          COMBINED.side
        )
      return [await half(COMBINED.referenceLeft), await half(COMBINED.drawingLeft)]
    }
    const jsonPath = join(this.folder, study.file)
    const data = await readSessionExport(jsonPath)
    const { frame } = data
    const found = await this.finder.find(data.reference.id, data.reference.ink, frame)
    const drawingPng = jsonPath.replace(/\.json$/i, '-drawing.png')
    const mask = r.drawingFrom === 'png' ? await drawingFromPng(drawingPng, frame) : drawingFromOps(data.ops, frame)
    const rgb = new Uint8Array(mask.length * 3).fill(255)
    for (let p = 0; p < mask.length; p++) if (mask[p]) rgb.fill(0, p * 3, p * 3 + 3)
    return [
      await thumbnail(await found.picture(), frame.width, frame.height),
      await thumbnail(rgb, frame.width, frame.height)
    ]
  }
}
