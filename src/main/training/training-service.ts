// Training on the main side: sessions laid out and kept in the history, drills made and measured,
// practice summed up per day with the goal and streak, assignment packs out and in. The timer
// itself runs in the studio (the renderer); this side keeps what must outlast a window.
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { FrameSize } from '#shared/contract/app.ts'
import type { ExportResult } from '#shared/contract/attempts.ts'
import type { ReferenceUpload } from '#shared/contract/references.ts'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import type {
  DayPractice,
  DrillInfo,
  DrillTrend,
  ImportedPack,
  PracticeSummary,
  SessionSummary,
  TrainingSession
} from '#shared/contract/training.ts'
import { StudioError } from '#shared/contract/errors.ts'
import {
  DRILL_KINDS,
  DRILL_TITLES,
  drillId,
  isDrillId,
  measureDrill,
  newSeed,
  pickDrillKind,
  type DrillKind,
  type DrillMeasure
} from '#shared/drills/index.ts'
import { foldJournal, visibleOps } from '#shared/edit-history/index.ts'
import { layOutSession } from '#shared/training/session-layout.ts'
import { drawingFromOps } from '#main/batch/attempt-study.ts'
import type { AttemptService } from '#main/attempts/attempt-service.ts'
import type { ExportDelivery } from '#main/attempts/export-files.ts'
import type { History } from '#main/history/history.ts'
import { TrainingStore } from '#main/history/training-store.ts'
import { exportPack, importPack } from '#main/packs/packs.ts'
import { MAX_PACK_BYTES } from '#main/packs/pack-format.ts'
import type { ReferenceService } from '#main/references/service.ts'
import { cleanFileName } from '#main/references/service.ts'
import type { SettingsService } from '#main/settings/settings-service.ts'
import { drillOf } from './drill-references.ts'

export interface TrainingDeps {
  history: History
  /** With drills (drill-references.ts). */
  references: ReferenceService
  attempts: AttemptService
  settings: SettingsService
  frame: FrameSize
  deliver: ExportDelivery
  /** Paths may be read only where the user picked them (the desktop app). */
  allowPaths: boolean
}

const DAY_MS = 24 * 60 * 60 * 1000

export class TrainingService {
  readonly #deps: TrainingDeps
  readonly #store: TrainingStore

  constructor(deps: TrainingDeps) {
    this.#deps = deps
    this.#store = new TrainingStore(deps.history)
  }

  async startSession(plan: SessionPlan, seed: number = newSeed()): Promise<TrainingSession> {
    // Every reference must be there before anything is kept.
    for (const id of new Set(plan.items.map((i) => i.referenceId))) await this.#deps.references.summary(id)
    const id = this.#store.createSession(plan, seed, layOutSession(plan, seed))
    return this.#store.getSession(id)
  }

  recordSessionDrawing(sessionId: string, position: number, attemptId: string): void {
    this.#store.recordDrawing(sessionId, position, attemptId)
  }

  finishSession(sessionId: string): TrainingSession {
    this.#store.finishSession(sessionId)
    return this.#store.getSession(sessionId)
  }

  getSession(sessionId: string): TrainingSession {
    return this.#store.getSession(sessionId)
  }

  listSessions(): SessionSummary[] {
    return this.#store.listSessions()
  }

  newDrill(kind: DrillKind | 'adaptive', rand: () => number = Math.random): DrillInfo {
    const chosen =
      kind === 'adaptive'
        ? pickDrillKind(
            this.#store
              .drillRecords()
              .map((r) => ({ kind: r.kind, top5Error: r.top5Error, at: Date.parse(r.endedAt) })),
            rand
          )
        : kind
    return this.drillInfo(drillId(chosen, newSeed(rand)))
  }

  drillInfo(referenceId: string): DrillInfo {
    const drill = drillOf(referenceId, this.#deps.frame)
    return {
      referenceId: drill.id,
      kind: drill.kind,
      seed: drill.seed,
      title: drill.title,
      prompt: drill.prompt,
      frame: drill.frame,
      guide: drill.guide
    }
  }

  /** From the attempt as it stands (a live one) or as the history has it (a finished one). */
  async drillFigures(attemptId: string): Promise<DrillMeasure | null> {
    const { referenceId, ops } = await this.#drawingOf(attemptId)
    if (!isDrillId(referenceId)) throw new StudioError('invalid-input', `the attempt ${attemptId} is not of a drill`)
    const drill = drillOf(referenceId, this.#deps.frame)
    const measure = measureDrill(drill, drawingFromOps(ops, drill.frame))
    if (measure) this.#store.saveDrillResult(attemptId, drill.kind, measure)
    return measure
  }

  async #drawingOf(attemptId: string): Promise<{ referenceId: string; ops: Parameters<typeof drawingFromOps>[0] }> {
    try {
      const { state } = await this.#deps.attempts.snapshot(attemptId)
      return { referenceId: state.referenceId, ops: state.ops.slice(0, state.cursor) }
    } catch (err) {
      if (!(err instanceof StudioError) || err.code !== 'not-found') throw err
    }
    const journal = this.#deps.history.store().attemptJournal(attemptId)
    return { referenceId: journal.referenceId, ops: visibleOps(foldJournal(journal.entries)) }
  }

  practiceSummary(utcOffsetMinutes: number, days = 28, now = new Date()): PracticeSummary {
    const offset = utcOffsetMinutes * 60 * 1000
    const dayOf = (ms: number): string => new Date(ms + offset).toISOString().slice(0, 10)
    const today = dayOf(now.getTime())
    // Enough days back for the streak too (a year at most).
    const since = Date.parse(`${today}T00:00:00Z`) - offset - 366 * DAY_MS
    const totals = new Map<string, DayPractice>()
    for (const a of this.#store.practiceSince(since)) {
      const day = dayOf(a.startedAt)
      const t = totals.get(day) ?? { day, activeMs: 0, attempts: 0 }
      t.activeMs += a.activeMs
      t.attempts++
      totals.set(day, t)
    }
    const dayAt = (back: number): DayPractice => {
      const day = new Date(Date.parse(`${today}T12:00:00Z`) - back * DAY_MS).toISOString().slice(0, 10)
      return totals.get(day) ?? { day, activeMs: 0, attempts: 0 }
    }
    const goalMinutes = this.#deps.settings.get().training.dailyGoalMinutes
    const met = (d: DayPractice): boolean => d.attempts > 0 && d.activeMs >= goalMinutes * 60 * 1000
    // Today counts once met; until then the streak runs up to yesterday.
    let streak = 0
    for (let back = met(dayAt(0)) ? 0 : 1; back <= 366 && met(dayAt(back)); back++) streak++
    return {
      days: Array.from({ length: days }, (_, i) => dayAt(days - 1 - i)),
      today: dayAt(0),
      goalMinutes,
      streak,
      drills: this.#drillTrends()
    }
  }

  #drillTrends(): DrillTrend[] {
    const records = this.#store.drillRecords()
    return DRILL_KINDS.flatMap((kind) => {
      const mine = records.filter((r) => r.kind === kind)
      if (mine.length === 0) return []
      const { label, unit } = mine[mine.length - 1].measure.headline
      return [
        {
          kind,
          title: DRILL_TITLES[kind],
          label,
          unit,
          points: mine.map((r) => ({
            attemptId: r.attemptId,
            endedAt: r.endedAt,
            top5Error: r.top5Error,
            figure: r.headline
          }))
        }
      ]
    })
  }

  exportPack(plan: SessionPlan): Promise<ExportResult> {
    const author = this.#deps.settings.get().name || undefined
    return this.#deps.deliver(async () => {
      const file = await exportPack(this.#deps.references, plan, { author })
      return { baseName: file.name.replace(/\.sightline-pack\.json$/, ''), files: [file] }
    })
  }

  async importPack(upload: ReferenceUpload): Promise<ImportedPack> {
    let fileName: string
    let bytes: Uint8Array
    if ('path' in upload) {
      if (!this.#deps.allowPaths)
        throw new StudioError(
          'forbidden',
          'opening a file by path is only possible in the desktop app; upload it instead'
        )
      fileName = basename(upload.path)
      const name = fileName
      const cannot = (err: NodeJS.ErrnoException): never => {
        throw new StudioError('not-found', `${name}: cannot read it (${err.code ?? err.message})`)
      }
      const info = await stat(upload.path).catch(cannot)
      if (!info.isFile()) throw new StudioError('invalid-input', `${fileName}: not a file`)
      if (info.size > MAX_PACK_BYTES)
        throw new StudioError('invalid-input', `${fileName}: a pack can be at most ${MAX_PACK_BYTES / 1e6} MB`)
      bytes = await readFile(upload.path).catch(cannot)
    } else {
      fileName = cleanFileName(upload.fileName)
      bytes = upload.bytes
    }
    if (bytes.length > MAX_PACK_BYTES)
      throw new StudioError('invalid-input', `${fileName}: a pack can be at most ${MAX_PACK_BYTES / 1e6} MB`)
    return importPack(this.#deps.references, fileName, bytes)
  }
}
