// What a report's worker is asked to do with one file, and what it answers. Plain data: it
// crosses a thread boundary.
import type { LegacyBackground } from '#main/references/ink.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { DrillMeasure } from '#shared/drills/index.ts'

/** A combined image of the original tool (docs/scoring.md section 5). */
export interface CombinedTask {
  kind: 'combined'
  path: string
  /** How the report names it: the path inside the report's folder. */
  file: string
  background: LegacyBackground
}

/** An attempt exported from the studio: its session JSON and, if it is there, its drawing PNG. */
export interface AttemptTask {
  kind: 'attempt'
  json: string
  drawing: string | null
  file: string
}

export type StudyTask = CombinedTask | AttemptTask

/** What every worker is given once: where references are found again. */
export interface WorkerSetup {
  resourcesDir: string
  packs: string[]
}

export type StudyResult =
  | {
      ok: true
      kind: 'combined'
      file: string
      evaluation: Evaluation
      /** Equal for studies of the same reference. */
      referenceKey: string
      decodedBy: 'png' | 'sharp'
    }
  | {
      ok: true
      kind: 'attempt'
      file: string
      evaluation: Evaluation
      reference: { id: string; name: string }
      student: string | null
      startedAt: string
      drill: DrillMeasure | null
      drawingFrom: 'png' | 'strokes'
    }
  | { ok: false; file: string; reason: string }
