// The history of attempts: what the history panel, the progress chart and replay read. Every
// attempt and its per-op journal live main-side in node:sqlite (src/main/history); this is the
// read side plus soft delete, export, and the daily backups with their restore.
import type { FrameSize } from './app.ts'
import type { Edit } from '../edit-history/ops.ts'
import type { NamedFile } from './files.ts'
import type { ReferenceSource } from './references.ts'
import type { EmptyEvaluation, Evaluation, ScoredEvaluation } from './scores.ts'

/**
 * The figures kept for every edit: the headline ones, enough for the per-edit score chart and
 * replay. The full evaluation (grid, worst cells...) is kept for the finished attempt; any edit's
 * can be recomputed by replaying the journal.
 */
export type EditScore =
  | Pick<
      ScoredEvaluation,
      | 'status'
      | 'top5Error'
      | 'meanError'
      | 'topError'
      | 'referencePixels'
      | 'drawingPixels'
      | 'precision'
      | 'recall'
      | 'f1'
    >
  | EmptyEvaluation

export interface JournalEntry {
  /** 1, 2, 3, ... in commit order within the attempt. */
  seq: number
  /** The edit: an op committed, or an undo / redo. */
  op: Edit
  /** The score after this op (its headline figures). */
  evaluation: EditScore
  /** Active drawing time of the attempt when this op was committed. */
  activeMs: number
  /** ISO time of the commit. */
  at: string
}

/**
 * What went wrong with the history file found at start-up, so the studio can say so once: it was
 * damaged and set aside (a fresh one started), or it lacks recent changes (its -wal file was lost
 * or damaged, or it was emptied or replaced), which are then gone from it.
 */
export interface HistoryRecovery {
  /** 'set-aside': damaged, moved to movedTo, a fresh history started; 'lost-changes': kept, but recent changes are gone. */
  kind: 'set-aside' | 'lost-changes'
  reason: string
  /** Where the damaged file, or a copy of what was found, now is; null when there was nothing to keep. */
  movedTo: string | null
  /** ISO time of the recovery. */
  at: string
  /** The newest backup, offered for restoring (restoreHistoryBackup); null when there is none. */
  backup: HistoryBackup | null
}

/** A copy of the history made at start-up once a day (the last few are kept). */
export interface HistoryBackup {
  /** The file name inside the data folder's backups/ folder: what restoreHistoryBackup takes. */
  name: string
  /** ISO time the copy was made. */
  at: string
  /** Attempts in it, deleted ones excluded. */
  attempts: number
  bytes: number
}

export interface HistoryRestore {
  restored: HistoryBackup
  /** Where the history that was replaced now is (kept, never deleted); null if there was none. */
  replacedMovedTo: string | null
  status: HistoryStatus
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
  /** The frame it was drawn in (500 x 500 for attempts from before frames followed references). */
  frame: FrameSize
  /** Kept, but left out of progress charts and personal bests. */
  discarded: boolean
  thumbnailPng: Uint8Array | null
  /** Set when part of the attempt cannot be read (its folder or a stored figure is damaged): what is wrong. */
  damaged?: string
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
  /** The frame every stroke's coordinates are in. */
  frame: FrameSize
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
  /** Finished, scored attempts, neither deleted nor discarded, oldest first. */
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
  /** A discarded attempt stays in the list but counts in no progress chart or personal best. */
  setAttemptDiscarded(args: {
    attemptId: string
    discarded: boolean
  }): Promise<{ attemptId: string; discarded: boolean }>
  progressSeries(args: { referenceId: string }): Promise<ProgressSeries>
  /** The history as one file (CSV or JSON) for the studio to hand to the user. */
  exportHistory(args: { format: ExportFormat; referenceId?: string }): Promise<NamedFile>
  /** The daily backups, newest first. */
  listHistoryBackups(): Promise<HistoryBackup[]>
  /** Replace the history with a backup; the current history is set aside, not deleted. */
  restoreHistoryBackup(args: { name: string }): Promise<HistoryRestore>
}

export const HISTORY_METHODS = [
  'historyStatus',
  'listAttempts',
  'historyReferences',
  'attemptDetails',
  'attemptJournal',
  'deleteAttempt',
  'restoreAttempt',
  'setAttemptDiscarded',
  'progressSeries',
  'exportHistory',
  'listHistoryBackups',
  'restoreHistoryBackup'
] as const satisfies readonly (keyof HistoryApi)[]

export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200
