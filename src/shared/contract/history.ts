// The history of attempts: what the history panel, the progress chart and replay read. Every
// attempt and its per-op journal live main-side in node:sqlite (src/main/history); this is the
// read side plus soft delete and export.
import type { Edit } from '../edit-history/ops.ts'
import type { NamedFile } from './files.ts'
import type { ReferenceSource } from './references.ts'
import type { Evaluation } from './scores.ts'

export interface JournalEntry {
  /** 1, 2, 3, ... in commit order within the attempt. */
  seq: number
  /** The edit: an op committed, or an undo / redo. */
  op: Edit
  /** The score after this op. */
  evaluation: Evaluation
  /** Active drawing time of the attempt when this op was committed. */
  activeMs: number
  /** ISO time of the commit. */
  at: string
}

/** Why the history database was set aside at start-up, so the studio can say so. */
export interface HistoryRecovery {
  reason: string
  /** Where the damaged file now is (its -wal / -shm files sit beside it). */
  movedTo: string
  /** ISO time of the recovery. */
  at: string
}

export type HistoryStatus =
  | { state: 'ready'; dataDir: string; recovered: HistoryRecovery | null }
  /** The history cannot be used (read-only or full disk, newer schema...): drawing still works. */
  | { state: 'unavailable'; dataDir: string; problem: string; recovered: HistoryRecovery | null }

export interface AttemptSummary {
  attemptId: string
  referenceId: string
  referenceName: string
  /** ISO times; endedAt is null while the attempt is unfinished. */
  startedAt: string
  endedAt: string | null
  activeMs: number
  /** Strokes committed in the attempt (pen-ups), undone ones included. */
  strokeCount: number
  /** The final headline score; null while unfinished or when the drawing was empty. */
  top5Error: number | null
  thumbnailPng: Uint8Array | null
}

export interface AttemptPage {
  items: AttemptSummary[]
  /** Attempts matching the filter (deleted ones excluded). */
  total: number
  /** 0-based. */
  page: number
  pageSize: number
}

/** The score after one journal op: a point of the in-attempt chart and a replay step. */
export interface OpScore {
  seq: number
  kind: Edit['kind']
  at: string
  top5Error: number | null
}

export interface AttemptDetails {
  attempt: AttemptSummary
  /** The final evaluation; null while unfinished. */
  evaluation: Evaluation | null
  scores: OpScore[]
  drawingPng: Uint8Array | null
  heatmapPng: Uint8Array | null
}

export interface AttemptJournal {
  attemptId: string
  referenceId: string
  startedAt: string
  entries: JournalEntry[]
}

/** A reference that has attempts, for the "by reference" view. */
export interface HistoryReference {
  referenceId: string
  name: string
  source: ReferenceSource
  width: number
  height: number
  attemptCount: number
  lastAttemptAt: string
  bestTop5Error: number | null
}

export interface ProgressPoint {
  attemptId: string
  endedAt: string
  top5Error: number
  /** The lowest top5Error of the series (the earliest one on a tie). */
  personalBest: boolean
}

export interface ProgressSeries {
  referenceId: string
  /** Finished, scored, not deleted attempts, oldest first. */
  points: ProgressPoint[]
  best: { attemptId: string; top5Error: number } | null
}

export type ExportFormat = 'csv' | 'json'

export interface HistoryApi {
  historyStatus(): Promise<HistoryStatus>
  /** Newest first; deleted attempts hidden. */
  listAttempts(args: { referenceId?: string; page?: number; pageSize?: number }): Promise<AttemptPage>
  historyReferences(): Promise<HistoryReference[]>
  attemptDetails(args: { attemptId: string }): Promise<AttemptDetails>
  attemptJournal(args: { attemptId: string }): Promise<AttemptJournal>
  /** Soft delete: hidden from lists, charts and exports until restored. */
  deleteAttempt(args: { attemptId: string }): Promise<{ attemptId: string; deletedAt: string }>
  restoreAttempt(args: { attemptId: string }): Promise<{ attemptId: string }>
  progressSeries(args: { referenceId: string }): Promise<ProgressSeries>
  /** The history as one file (CSV or JSON) for the studio to hand to the user. */
  exportHistory(args: { format: ExportFormat; referenceId?: string }): Promise<NamedFile>
}

export const HISTORY_METHODS = [
  'historyStatus',
  'listAttempts',
  'historyReferences',
  'attemptDetails',
  'attemptJournal',
  'deleteAttempt',
  'restoreAttempt',
  'progressSeries',
  'exportHistory'
] as const satisfies readonly (keyof HistoryApi)[]

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200
