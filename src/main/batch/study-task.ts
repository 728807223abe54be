// What a report's worker is asked to do with one file, and what it answers. Plain data: it
// crosses a thread boundary.
import type { LegacyBackground } from '#main/references/ink.ts'
import type { Evaluation } from '#shared/contract/scores.ts'

export interface CombinedTask {
  kind: 'combined'
  path: string
  /** How the report names it: the path inside the report's folder. */
  file: string
  background: LegacyBackground
}

export type StudyTask = CombinedTask

export type StudyResult =
  | {
      ok: true
      file: string
      evaluation: Evaluation
      /** Equal for studies of the same reference. */
      referenceKey: string
      decodedBy: 'png' | 'sharp'
    }
  | { ok: false; file: string; reason: string }
