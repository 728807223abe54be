// The history store: references, attempts and their per-op journal in node:sqlite, plus each
// attempt's images as files. The attempt service writes through it (one journal row per op,
// committed before the op's answer goes back), the history API reads through it.
//
// Database calls are synchronous (node:sqlite); each is small and indexed. File calls are async.
// Every failure leaves as a StudioError: 'storage' for the disk or database, 'not-found' for an
// unknown id, 'invalid-input' for a call that does not fit the attempt's state.
import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { FrameSize } from '#shared/contract/app.ts'
import type {
  AttemptDetails,
  AttemptJournal,
  AttemptPage,
  AttemptSummary,
  HistoryRecovery,
  HistoryReference,
  JournalEntry,
  OpScore,
  ProgressSeries
} from '#shared/contract/history.ts'
import type { InkSettings, ReferenceSource } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { Tool } from '#shared/stroke/types.ts'
import { foldJournal, type Edit, type History } from '#shared/edit-history/index.ts'
import { removeStaleTempFiles, writeFileAtomic } from '../platform/atomic-file.ts'
import { ensureDataFolder, isPngBytes, readDataPng } from '../platform/data-files.ts'
import type { BackupFile } from './backups.ts'
import { markDamaged, openDatabase, readWrites, type OpenOptions } from './database.ts'
import { packPoints, strokeProblem, unpackPoints } from './points.ts'
import { isCorruption, sqlitePrimaryCode, SQLITE_CONSTRAINT, storageError } from './storage-errors.ts'
import { checkFigure, editScoreOf, readEditScore, readEvaluation, readInkSettings } from './stored.ts'
import { WriteCountFile } from './write-count.ts'

export interface StoredReference {
  /** The content hash (library) or bundled id, as the references area names it. */
  id: string
  name: string
  source: ReferenceSource
  /** Size of the original image in pixels. */
  width: number
  height: number
  /** The ink settings the reference was scored with. */
  inkSettings: InkSettings
}

export interface NewJournalEntry {
  op: Edit
  /** The evaluation after the op. */
  evaluation: Evaluation
  /** Active drawing time of the attempt so far (restored on resume). */
  activeMs: number
  at?: Date
}

export interface FinishAttempt {
  evaluation: Evaluation
  activeMs: number
  endedAt?: Date
}

/** Images of an attempt; each given one replaces the saved one atomically. */
export interface AttemptFiles {
  drawingPng?: Uint8Array
  heatmapPng?: Uint8Array
  thumbPng?: Uint8Array
}

const FILE_NAMES = {
  drawingPng: 'drawing.png',
  heatmapPng: 'heatmap.png',
  thumbPng: 'thumb.png'
} as const satisfies Record<keyof AttemptFiles, string>

/** An attempt that was never finished (the app or host died): everything needed to resume it. */
export interface UnfinishedAttempt {
  attemptId: string
  reference: StoredReference
  /** The frame the attempt is drawn in. */
  frame: FrameSize
  startedAt: string
  activeMs: number
  entries: JournalEntry[]
  /** The drawing's history (ops + cursor) rebuilt from the journal. */
  history: History
  /** The full evaluation after the last committed op; null if nothing was committed. */
  evaluation: Evaluation | null
}

export interface ListQuery {
  referenceId?: string
  page: number
  pageSize: number
}

/** A row of the export: one live attempt with its reference and final evaluation. */
export interface ExportRow {
  attemptId: string
  reference: { id: string; name: string; source: ReferenceSource; width: number; height: number }
  startedAt: string
  endedAt: string | null
  activeMs: number
  strokeCount: number
  top5Error: number | null
  frame: FrameSize
  /** Left out of progress and personal bests (still kept). */
  discarded: boolean
  evaluation: Evaluation | null
}

/**
 * SQLite's automatic checkpoint runs inside whichever commit crosses 1000 WAL pages and takes
 * tens of milliseconds (it fsyncs), so about one pen-up in 200 would stall. Instead the store
 * checkpoints on its own schedule, between strokes: once writing pauses for CHECKPOINT_IDLE_MS,
 * and at the latest CHECKPOINT_MAX_DELAY_MS after the first change it has not copied yet (sooner,
 * CHECKPOINT_DELAY_MS, once CHECKPOINT_AFTER_BYTES are waiting), and when the store closes. Until
 * then the -wal file holds the changes, durably; so it holds at most about half a minute's.
 */
const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024
const CHECKPOINT_DELAY_MS = 250
const CHECKPOINT_IDLE_MS = 2000
const CHECKPOINT_MAX_DELAY_MS = 30_000

/** Soft-deleted attempts stay restorable this long, then are purged at start-up with their files. */
export const PURGE_AFTER_MS = 30 * 24 * 3600 * 1000

const ATTEMPT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function top5Of(evaluation: Evaluation): number | null {
  return evaluation.status === 'scored' ? evaluation.top5Error : null
}

interface SummaryRow {
  id: string
  reference_id: string
  reference_name: string
  started_at: number
  ended_at: number | null
  active_ms: number
  stroke_count: number
  top5_error: number | null
  frame_width: number
  frame_height: number
  discarded_at: number | null
}

interface JournalRow {
  seq: number
  kind: Edit['kind']
  layer: 'construction' | null
  tool: Tool | null
  size: number | null
  points: Uint8Array | null
  points_codec: number
  evaluation: string
  active_ms: number
  at: number
}

interface ReferenceRow {
  id: string
  name: string
  source: ReferenceSource
  width: number
  height: number
  ink_settings: string
}

// For an unfinished attempt the row's active_ms / stroke_count are not written yet: they come
// from its journal (the latest entry's active time, the strokes committed so far).
const SUMMARY_COLUMNS = `
  a.id, a.reference_id, r.name AS reference_name, a.started_at, a.ended_at, a.top5_error,
  a.frame_width, a.frame_height, a.discarded_at,
  CASE WHEN a.ended_at IS NULL
    THEN coalesce((SELECT j.active_ms FROM journal j WHERE j.attempt_id = a.id ORDER BY j.seq DESC LIMIT 1), 0)
    ELSE a.active_ms END AS active_ms,
  CASE WHEN a.ended_at IS NULL
    THEN (SELECT count(*) FROM journal j WHERE j.attempt_id = a.id AND j.kind = 'stroke' AND j.layer IS NULL)
    ELSE a.stroke_count END AS stroke_count`

function listSql(where: string): { count: string; page: string } {
  return {
    count: `SELECT count(*) AS n FROM attempts a WHERE ${where}`,
    page: `SELECT ${SUMMARY_COLUMNS} FROM attempts a JOIN reference_images r ON r.id = a.reference_id
      WHERE ${where} ORDER BY a.started_at DESC, a.id DESC LIMIT ? OFFSET ?`
  }
}

/** The history list's statements (exported so a test can check their query plans). */
export const LIST_SQL = {
  all: listSql('a.deleted_at IS NULL'),
  byReference: listSql('a.deleted_at IS NULL AND a.reference_id = ?')
}

function wholeMs(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0)
    throw new StudioError('invalid-input', `${what} must be a non-negative number of milliseconds, not ${value}`)
  return Math.round(value)
}

export class HistoryStore {
  readonly dataDir: string
  /** The database file. */
  readonly path: string
  /**
   * Set when the history found at start-up was damaged and set aside, or lacked changes it had
   * committed (see openDatabase).
   */
  readonly recovered: HistoryRecovery | null
  /** The backups found at start-up, newest first. */
  readonly backupsAtOpen: readonly BackupFile[]
  /** Attempts purged at start-up (soft-deleted longer ago than PURGE_AFTER_MS). */
  readonly purged: number
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, StatementSync>()
  /** Per-attempt chain so two saves of one attempt's files never interleave. */
  readonly #fileWrites = new Map<string, Promise<unknown>>()
  readonly #writeCount: WriteCountFile
  /** Roughly how much was written since the last checkpoint. */
  #unCheckpointed = 0
  /** When the oldest and newest change not yet checkpointed were made (ms), or null. */
  #firstUncheckpointedAt: number | null = null
  #lastWriteAt = 0
  #checkpointTimer: NodeJS.Timeout | null = null
  #checkpointDue = 0

  private constructor(
    dataDir: string,
    db: DatabaseSync,
    path: string,
    recovered: HistoryRecovery | null,
    backups: readonly BackupFile[],
    purged: number
  ) {
    this.dataDir = dataDir
    this.#db = db
    this.path = path
    this.recovered = recovered
    this.backupsAtOpen = backups
    this.purged = purged
    this.#writeCount = new WriteCountFile(dataDir)
    this.#writeCount.record(readWrites(db))
  }

  /** Open or create `<dataDir>/history.sqlite` (see openDatabase for what happens to a damaged one). */
  static open(dataDir: string, options: OpenOptions = {}): HistoryStore {
    const { db, path, recovered, backups } = openDatabase(dataDir, options)
    let purged: string[]
    try {
      db.exec('PRAGMA wal_autocheckpoint = 0')
      purged = purgeDeleted(db, (options.now?.() ?? new Date()).getTime() - PURGE_AFTER_MS)
    } catch (err) {
      db.close()
      throw storageError(err, 'open the history', path, dataDir)
    }
    const store = new HistoryStore(dataDir, db, path, recovered, backups, purged.length)
    // Their images go too, in the background; a folder that cannot be removed stays (and is harmless).
    for (const id of purged) void rm(store.attemptFolder(id), { recursive: true, force: true }).catch(() => undefined)
    return store
  }

  get isOpen(): boolean {
    return this.#db.isOpen
  }

  /** The history's change count (history_meta.writes): it only ever grows. */
  changes(): number {
    return this.#guard('read the history', () => readWrites(this.#db))
  }

  /**
   * Checkpoint everything into history.sqlite and close it: afterwards the file alone holds the
   * whole history (its -wal is empty or gone). Safe to call twice.
   */
  close(): void {
    if (this.#checkpointTimer) clearTimeout(this.#checkpointTimer)
    this.#checkpointTimer = null
    if (this.#db.isOpen) {
      try {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK')
        this.#db.exec('PRAGMA wal_checkpoint(TRUNCATE)')
        this.#writeCount.record(readWrites(this.#db))
      } catch {
        // Closing checkpoints too (as the last connection); nothing committed is lost either way.
      }
      this.#db.close()
    }
    this.#writeCount.close()
  }

  /**
   * Copy the WAL into the database file now. A failure loses nothing (the WAL still has every
   * commit) and is left for the next write to report.
   */
  checkpoint(): void {
    if (this.#checkpointTimer) clearTimeout(this.#checkpointTimer)
    this.#checkpointTimer = null
    if (!this.#db.isOpen || this.#db.isTransaction) return
    this.#unCheckpointed = 0
    this.#firstUncheckpointedAt = null
    try {
      this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)')
    } catch {
      // See above: nothing is lost.
    }
  }

  /** After a committed change: record the change count beside the database, plan a checkpoint. */
  #wrote(bytes: number): void {
    if (this.#db.isTransaction) {
      // Inside inOneCommit: counted once the whole group commits.
      this.#unCheckpointed += bytes
      return
    }
    this.#writeCount.record(this.#changeCount())
    const now = Date.now()
    this.#unCheckpointed += bytes
    this.#lastWriteAt = now
    this.#firstUncheckpointedAt ??= now
    this.#planCheckpoint()
  }

  /** history_meta.writes, with a prepared statement (this runs after every commit). */
  #changeCount(): number {
    const row = this.#sql("SELECT value FROM history_meta WHERE key = 'writes'").get() as { value: number } | undefined
    return Number(row?.value ?? 0)
  }

  /** (Re)arm the checkpoint timer for the earliest moment the schedule allows. */
  #planCheckpoint(): void {
    if (this.#firstUncheckpointedAt === null) return
    const now = Date.now()
    const due =
      this.#unCheckpointed >= CHECKPOINT_AFTER_BYTES
        ? now + CHECKPOINT_DELAY_MS
        : Math.min(this.#lastWriteAt + CHECKPOINT_IDLE_MS, this.#firstUncheckpointedAt + CHECKPOINT_MAX_DELAY_MS)
    if (this.#checkpointTimer) {
      if (due >= this.#checkpointDue) return
      clearTimeout(this.#checkpointTimer)
    }
    this.#checkpointDue = due
    this.#checkpointTimer = setTimeout(
      () => {
        this.#checkpointTimer = null
        const at = Date.now()
        const first = this.#firstUncheckpointedAt
        if (first === null) return
        if (
          this.#unCheckpointed >= CHECKPOINT_AFTER_BYTES ||
          at - this.#lastWriteAt >= CHECKPOINT_IDLE_MS ||
          at - first >= CHECKPOINT_MAX_DELAY_MS
        )
          this.checkpoint()
        // Written to since it was planned: the pause starts again from the last write.
        else this.#planCheckpoint()
      },
      Math.max(0, due - now)
    )
    this.#checkpointTimer.unref()
  }

  /** Whether changes are waiting in the -wal file for the next checkpoint (tests). */
  get checkpointPending(): boolean {
    return this.#firstUncheckpointedAt !== null
  }

  #sql(text: string): StatementSync {
    let statement = this.#statements.get(text)
    if (!statement) {
      statement = this.#db.prepare(text)
      this.#statements.set(text, statement)
    }
    return statement
  }

  /** Run one database step; failures become StudioErrors that say what we were doing. */
  #guard<T>(what: string, run: () => T): T {
    try {
      return run()
    } catch (err) {
      throw this.#failure(err, what)
    }
  }

  #failure(err: unknown, what: string): StudioError {
    if (err instanceof StudioError) return err
    if (isCorruption(err)) {
      markDamaged(this.dataDir, `it was found damaged while trying to ${what} (${(err as Error).message})`)
      return new StudioError(
        'storage',
        `could not ${what}: the history ${this.path} is damaged; it will be set aside and a fresh history started the next time Sightline starts`
      )
    }
    return storageError(err, what, this.path, this.dataDir)
  }

  #transaction<T>(run: () => T): T {
    if (this.#db.isTransaction) {
      // Nested (inside inOneCommit): a savepoint, so a failing step undoes only itself.
      this.#db.exec('SAVEPOINT step')
      try {
        const result = run()
        this.#db.exec('RELEASE step')
        return result
      } catch (err) {
        this.#db.exec('ROLLBACK TO step')
        this.#db.exec('RELEASE step')
        throw err
      }
    }
    this.#db.exec('BEGIN IMMEDIATE')
    try {
      const result = run()
      this.#db.exec('COMMIT')
      return result
    } catch (err) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK')
      throw err
    }
  }

  /**
   * Run many writes as one commit (imports, generating benchmark data). Inside it, a write
   * survives a kill only once the whole group has committed.
   */
  inOneCommit<T>(run: () => T): T {
    const outermost = !this.#db.isTransaction
    const result = this.#guard('save the history', () => this.#transaction(run))
    if (outermost) {
      this.#wrote(0)
      if (this.#unCheckpointed >= CHECKPOINT_AFTER_BYTES) this.checkpoint()
    }
    return result
  }

  /**
   * Another area's statements on this database (training sessions, drill results), in one commit
   * with the same failure handling as the store's own.
   */
  run<T>(what: string, work: (db: DatabaseSync) => T): T {
    const result = this.#guard(what, () => this.#transaction(() => work(this.#db)))
    this.#wrote(256)
    return result
  }

  attemptFolder(attemptId: string): string {
    if (!ATTEMPT_ID.test(attemptId))
      throw new StudioError('invalid-input', `"${attemptId.slice(0, 80)}" is not an attempt id`)
    return join(this.dataDir, 'attempts', attemptId)
  }

  // ---- writes (the attempt service) -------------------------------------------------------

  /** Record a reference (insert, or update its name, size and ink settings); marks it used now. */
  upsertReference(ref: StoredReference, now: Date = new Date()): void {
    this.#guard(`save the reference "${ref.id}"`, () => {
      this.#sql(
        `INSERT INTO reference_images (id, name, source, width, height, ink_settings, created_at, last_used_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, source = excluded.source, width = excluded.width,
           height = excluded.height, ink_settings = excluded.ink_settings, last_used_at = excluded.last_used_at`
      ).run(
        ref.id,
        ref.name,
        ref.source,
        ref.width,
        ref.height,
        JSON.stringify(ref.inkSettings),
        now.getTime(),
        now.getTime()
      )
      this.#wrote(200)
    })
  }

  /** A reference's new name (a no-op for one the history has never seen). */
  renameReference(id: string, name: string): void {
    this.#guard(`rename the reference "${id}"`, () => {
      this.#sql('UPDATE reference_images SET name = ? WHERE id = ?').run(name, id)
    })
  }

  getReference(id: string): StoredReference | null {
    return this.#guard(`read the reference "${id}"`, () => {
      const row = this.#sql(
        'SELECT id, name, source, width, height, ink_settings FROM reference_images WHERE id = ?'
      ).get(id) as ReferenceRow | undefined
      return row ? this.#reference(row) : null
    })
  }

  /**
   * Begin an attempt at a recorded reference. Its id is a UUID: the caller's (the live session
   * already has one, so the drawing can start before the history is reachable) or a new one.
   */
  createAttempt(args: { attemptId?: string; referenceId: string; startedAt?: Date; frame?: FrameSize }): {
    attemptId: string
    startedAt: string
  } {
    const attemptId = args.attemptId ?? randomUUID()
    if (!ATTEMPT_ID.test(attemptId))
      throw new StudioError('invalid-input', `"${attemptId.slice(0, 80)}" is not an attempt id`)
    const startedAt = args.startedAt ?? new Date()
    return this.#guard('start the attempt', () => {
      try {
        this.#transaction(() => {
          this.#sql(
            'INSERT INTO attempts (id, reference_id, started_at, frame_width, frame_height) VALUES (?, ?, ?, ?, ?)'
          ).run(attemptId, args.referenceId, startedAt.getTime(), args.frame?.width ?? 500, args.frame?.height ?? 500)
          this.#sql('UPDATE reference_images SET last_used_at = ? WHERE id = ?').run(
            startedAt.getTime(),
            args.referenceId
          )
        })
      } catch (err) {
        if (sqlitePrimaryCode(err) === SQLITE_CONSTRAINT) {
          throw new StudioError(
            'not-found',
            `no reference "${args.referenceId}" in the history: record it with upsertReference first`
          )
        }
        throw err
      }
      this.#wrote(200)
      return { attemptId, startedAt: startedAt.toISOString() }
    })
  }

  /**
   * Commit one op with the evaluation after it: one row, one WAL append. Returns its seq
   * (1, 2, ...). When this returns, the op survives a kill of the process.
   *
   * Statements with RETURNING are read with all(), never get(): get() resets the statement
   * after the first row, and node:sqlite does not report an error from that reset, which in
   * autocommit mode is where the commit fails (a read-only or full disk would go unnoticed).
   */
  appendJournal(attemptId: string, entry: NewJournalEntry): { seq: number } {
    return this.#guard('save the last edit', () => {
      const { op } = entry
      const stroke = op.kind === 'stroke' ? op.stroke : null
      const points = stroke ? packPoints(stroke.points) : null
      // The journal keeps the headline figures; the full evaluation is kept for the latest edit
      // of the attempt only (for resuming), and with the attempt once it is finished.
      const score = JSON.stringify(editScoreOf(entry.evaluation))
      const full = JSON.stringify(entry.evaluation)
      const row = this.#transaction(() => {
        const inserted = this.#sql(
          `INSERT INTO journal (attempt_id, seq, kind, tool, size, points, points_codec, evaluation, top5_error, active_ms, at, layer)
           SELECT id, coalesce((SELECT max(seq) FROM journal WHERE attempt_id = ?1), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
           FROM attempts WHERE id = ?1 AND ended_at IS NULL
           RETURNING seq`
        ).all(
          attemptId,
          op.kind,
          stroke?.tool ?? null,
          stroke?.size ?? null,
          points?.bytes ?? null,
          points?.codec ?? 0,
          score,
          top5Of(entry.evaluation),
          wholeMs(entry.activeMs, 'activeMs'),
          (entry.at ?? new Date()).getTime(),
          op.kind === 'stroke' || op.kind === 'clear' ? (op.layer ?? null) : null
        )[0] as { seq: number } | undefined
        if (!inserted) throw this.#whyNotOpen(attemptId)
        this.#sql(
          `INSERT INTO unfinished_evaluation (attempt_id, evaluation) VALUES (?, ?)
           ON CONFLICT (attempt_id) DO UPDATE SET evaluation = excluded.evaluation`
        ).run(attemptId, full)
        return inserted
      })
      this.#wrote((points?.bytes.length ?? 0) + score.length + full.length + 100)
      return { seq: row.seq }
    })
  }

  #whyNotOpen(attemptId: string): StudioError {
    const row = this.#sql('SELECT ended_at FROM attempts WHERE id = ?').get(attemptId) as
      { ended_at: number | null } | undefined
    if (!row) return new StudioError('not-found', `no attempt with id "${attemptId}"`)
    return new StudioError('invalid-input', `attempt "${attemptId}" is already finished`)
  }

  /** End an attempt: its final evaluation and active time; the stroke count comes from its journal. */
  finishAttempt(attemptId: string, args: FinishAttempt): void {
    this.#guard('finish the attempt', () => {
      const endedAt = (args.endedAt ?? new Date()).getTime()
      const evaluation = JSON.stringify(args.evaluation)
      this.#transaction(() => {
        const result = this.#sql(
          `UPDATE attempts SET ended_at = ?, active_ms = ?, evaluation = ?, top5_error = ?,
             stroke_count = (SELECT count(*) FROM journal WHERE attempt_id = attempts.id AND kind = 'stroke' AND layer IS NULL)
           WHERE id = ? AND ended_at IS NULL`
        ).run(endedAt, wholeMs(args.activeMs, 'activeMs'), evaluation, top5Of(args.evaluation), attemptId)
        if (result.changes === 0) throw this.#whyNotOpen(attemptId)
        // Its full evaluation is now the attempt's own: the resume copy goes.
        this.#sql('DELETE FROM unfinished_evaluation WHERE attempt_id = ?').run(attemptId)
      })
      this.#wrote(evaluation.length + 100)
    })
  }

  /** Write the given images to `<dataDir>/attempts/<id>/`, each atomically. */
  async saveAttemptFiles(attemptId: string, files: AttemptFiles): Promise<void> {
    const dir = this.attemptFolder(attemptId)
    this.#requireAttempt(attemptId)
    for (const [key, bytes] of Object.entries(files) as [keyof AttemptFiles, Uint8Array | undefined][]) {
      if (bytes !== undefined && !isPngBytes(bytes))
        throw new StudioError('invalid-input', `${FILE_NAMES[key]} for attempt "${attemptId}" is not a PNG`)
    }
    const previous = this.#fileWrites.get(attemptId) ?? Promise.resolve()
    const write = previous
      .catch(() => undefined)
      .then(async () => {
        try {
          await ensureDataFolder(this.dataDir, dir) // no link on the way: attempts/ is ours
          await removeStaleTempFiles(dir)
          for (const [key, bytes] of Object.entries(files) as [keyof AttemptFiles, Uint8Array | undefined][]) {
            if (bytes !== undefined) await writeFileAtomic(join(dir, FILE_NAMES[key]), bytes)
          }
        } catch (err) {
          throw storageError(err, `save the images of attempt "${attemptId}"`, dir)
        }
      })
    this.#fileWrites.set(attemptId, write)
    try {
      await write
    } finally {
      if (this.#fileWrites.get(attemptId) === write) this.#fileWrites.delete(attemptId)
    }
  }

  async readAttemptFile(attemptId: string, name: keyof AttemptFiles): Promise<Uint8Array | null> {
    const path = join(this.attemptFolder(attemptId), FILE_NAMES[name])
    try {
      // Never through a link, and only a PNG is served as one.
      return await readDataPng(this.dataDir, path)
    } catch (err) {
      throw storageError(err, `read ${FILE_NAMES[name]} of attempt "${attemptId}"`, path)
    }
  }

  #requireAttempt(attemptId: string): void {
    const row = this.#guard('read the attempt', () =>
      this.#sql('SELECT 1 AS ok FROM attempts WHERE id = ?').get(attemptId)
    )
    if (!row) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
  }

  /** The newest unfinished, not deleted attempt with its journal replayed, or null. */
  findUnfinishedAttempt(): UnfinishedAttempt | null {
    const row = this.#guard('read the unfinished attempt', () =>
      this.#sql(
        `SELECT a.id FROM attempts a
         WHERE a.ended_at IS NULL AND a.deleted_at IS NULL ORDER BY a.started_at DESC, a.id DESC LIMIT 1`
      ).get()
    ) as { id: string } | undefined
    return row ? this.attemptToResume(row.id) : null
  }

  /**
   * Any live attempt, finished or not, with its journal replayed: what carrying on drawing it
   * needs. `evaluation` is the latest full one kept (an unfinished attempt's last, else its final).
   */
  attemptToResume(attemptId: string): UnfinishedAttempt {
    this.attemptFolder(attemptId)
    return this.#guard('read the attempt', () => {
      const row = this.#sql(
        `SELECT a.id, a.started_at, a.frame_width, a.frame_height,
           r.id AS ref_id, r.name, r.source, r.width, r.height, r.ink_settings,
           coalesce(u.evaluation, a.evaluation) AS latest
         FROM attempts a JOIN reference_images r ON r.id = a.reference_id
           LEFT JOIN unfinished_evaluation u ON u.attempt_id = a.id
         WHERE a.id = ? AND a.deleted_at IS NULL`
      ).get(attemptId) as
        | (Omit<ReferenceRow, 'id'> & {
            id: string
            ref_id: string
            started_at: number
            frame_width: number
            frame_height: number
            latest: string | null
          })
        | undefined
      if (!row) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      const entries = this.#journalEntries(row.id)
      let history: History
      try {
        history = foldJournal(entries)
      } catch (err) {
        throw new StudioError(
          'storage',
          `could not resume attempt "${row.id}": its journal in ${this.path} is inconsistent (${(err as Error).message})`
        )
      }
      const evaluation = this.#checked(row.id, () =>
        entries.length > 0 && row.latest !== null ? readEvaluation(row.latest) : null
      )
      return {
        attemptId: row.id,
        reference: this.#reference({ ...row, id: row.ref_id }),
        frame: { width: row.frame_width, height: row.frame_height },
        startedAt: this.#checked(row.id, () => iso(row.started_at)),
        activeMs: entries.length > 0 ? entries[entries.length - 1].activeMs : 0,
        entries,
        history,
        evaluation
      }
    })
  }

  /**
   * Make a finished attempt unfinished again, to draw on in it: its final scores and images stay
   * until it is finished again (which replaces them). Unfinished already: nothing changes.
   */
  reopenAttempt(attemptId: string): void {
    this.attemptFolder(attemptId)
    this.#guard('reopen the attempt', () => {
      const row = this.#sql('SELECT ended_at, deleted_at FROM attempts WHERE id = ?').get(attemptId) as
        { ended_at: number | null; deleted_at: number | null } | undefined
      if (!row || row.deleted_at !== null) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      if (row.ended_at === null) return
      this.#transaction(() => {
        // Its final evaluation becomes the latest one an unfinished attempt keeps (for resuming).
        this.#sql(
          `INSERT OR REPLACE INTO unfinished_evaluation (attempt_id, evaluation)
           SELECT id, evaluation FROM attempts WHERE id = ? AND evaluation IS NOT NULL`
        ).run(attemptId)
        this.#sql('UPDATE attempts SET ended_at = NULL, evaluation = NULL, top5_error = NULL WHERE id = ?').run(
          attemptId
        )
      })
    })
  }

  /** Discarded attempts stay in the history but count in no progress chart or personal best. */
  setAttemptDiscarded(
    attemptId: string,
    discarded: boolean,
    now: Date = new Date()
  ): { attemptId: string; discarded: boolean } {
    return this.#guard('discard the attempt', () => {
      const result = this.#sql(
        'UPDATE attempts SET discarded_at = CASE WHEN ? THEN coalesce(discarded_at, ?) ELSE NULL END WHERE id = ?'
      ).run(discarded ? 1 : 0, now.getTime(), attemptId)
      if (result.changes === 0) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      return { attemptId, discarded }
    })
  }

  /**
   * A StudioError('storage') naming the attempt and what is wrong with it: what the history
   * reads back is checked, so a damaged row is reported, never passed on as NaN.
   */
  #damaged(attemptId: string, detail: string): StudioError {
    return new StudioError(
      'storage',
      `attempt "${attemptId}" in the history ${this.path} is damaged: ${detail}; it can be deleted, or the history restored from a backup`
    )
  }

  /** Run a read of stored values; a RangeError (a value that fails its check) names the attempt. */
  #checked<T>(attemptId: string, read: () => T): T {
    try {
      return read()
    } catch (err) {
      if (err instanceof RangeError) throw this.#damaged(attemptId, err.message)
      throw err
    }
  }

  #journalEntries(attemptId: string): JournalEntry[] {
    const rows = this.#sql(
      'SELECT seq, kind, layer, tool, size, points, points_codec, evaluation, active_ms, at FROM journal WHERE attempt_id = ? ORDER BY seq'
    ).all(attemptId) as unknown as JournalRow[]
    return rows.map((row) =>
      this.#checked(attemptId, () => {
        try {
          checkFigure(row.active_ms, 'active time')
          return {
            seq: row.seq,
            op: toOp(row),
            evaluation: readEditScore(row.evaluation),
            activeMs: row.active_ms,
            at: iso(row.at)
          }
        } catch (err) {
          if (err instanceof RangeError) throw new RangeError(`edit ${row.seq}: ${err.message}`)
          throw err
        }
      })
    )
  }

  // ---- reads (the history API) ------------------------------------------------------------

  async listAttempts(query: ListQuery): Promise<AttemptPage> {
    const { rows, total } = this.#guard('read the history', () => {
      const sql = query.referenceId === undefined ? LIST_SQL.all : LIST_SQL.byReference
      const filter = query.referenceId === undefined ? [] : [query.referenceId]
      const counted = this.#sql(sql.count).get(...filter) as { n: number }
      const rows = this.#sql(sql.page).all(
        ...filter,
        query.pageSize,
        query.page * query.pageSize
      ) as unknown as SummaryRow[]
      return { rows, total: counted.n }
    })
    const items = await Promise.all(rows.map((row) => this.#summary(row)))
    return { items, total, page: query.page, pageSize: query.pageSize }
  }

  /**
   * One attempt of the list. Whatever of it cannot be read (its thumbnail, a stored figure) is
   * left out and said in `damaged`: one damaged attempt never hides the others.
   */
  async #summary(row: SummaryRow): Promise<AttemptSummary> {
    const problems: string[] = []
    const figure = <T>(read: () => T, fallback: T): T => {
      try {
        return read()
      } catch (err) {
        problems.push((err as Error).message)
        return fallback
      }
    }
    const startedAt = figure(() => iso(row.started_at), new Date(0).toISOString())
    const endedAt = figure(() => (row.ended_at === null ? null : iso(row.ended_at)), null)
    const activeMs = figure(() => (checkFigure(row.active_ms, 'active time'), row.active_ms), 0)
    const top5Error = figure(() => (checkFigure(row.top5_error, 'score', true), row.top5_error), null)
    let thumbnailPng: Uint8Array | null = null
    try {
      // A thumbnail that is not a PNG is a storage error naming the file.
      thumbnailPng = await this.readAttemptFile(row.id, 'thumbPng')
    } catch (err) {
      problems.push((err as Error).message.replace(/^could not /, 'cannot '))
    }
    const summary: AttemptSummary = {
      attemptId: row.id,
      referenceId: row.reference_id,
      referenceName: row.reference_name,
      startedAt,
      endedAt,
      activeMs,
      strokeCount: row.stroke_count,
      top5Error,
      frame: { width: row.frame_width, height: row.frame_height },
      discarded: row.discarded_at !== null,
      thumbnailPng
    }
    if (problems.length > 0) summary.damaged = problems.join('; ')
    return summary
  }

  historyReferences(): HistoryReference[] {
    return this.#guard('read the history', () => {
      const rows = this.#sql(
        `SELECT r.id, r.name, r.source, r.width, r.height, count(*) AS attempt_count,
           max(a.started_at) AS last_attempt_at,
           min(CASE WHEN a.discarded_at IS NULL THEN a.top5_error END) AS best
         FROM reference_images r JOIN attempts a ON a.reference_id = r.id AND a.deleted_at IS NULL
         GROUP BY r.id ORDER BY last_attempt_at DESC, r.id`
      ).all() as unknown as (ReferenceRow & { attempt_count: number; last_attempt_at: number; best: number | null })[]
      return rows.map((r) => ({
        referenceId: r.id,
        name: r.name,
        source: r.source,
        width: r.width,
        height: r.height,
        attemptCount: r.attempt_count,
        lastAttemptAt: iso(r.last_attempt_at),
        bestTop5Error: r.best
      }))
    })
  }

  async attemptDetails(attemptId: string): Promise<AttemptDetails> {
    this.attemptFolder(attemptId)
    const { row, evaluation, scores } = this.#guard('read the attempt', () => {
      const row = this.#sql(
        `SELECT ${SUMMARY_COLUMNS}, a.evaluation FROM attempts a JOIN reference_images r ON r.id = a.reference_id WHERE a.id = ?`
      ).get(attemptId) as (SummaryRow & { evaluation: string | null }) | undefined
      if (!row) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      const scores = (
        this.#sql('SELECT seq, kind, at, top5_error FROM journal WHERE attempt_id = ? ORDER BY seq').all(
          attemptId
        ) as unknown as {
          seq: number
          kind: Edit['kind']
          at: number
          top5_error: number | null
        }[]
      ).map((s): OpScore =>
        this.#checked(attemptId, () => {
          checkFigure(s.top5_error, `score after edit ${s.seq}`, true)
          return { seq: s.seq, kind: s.kind, at: iso(s.at), top5Error: s.top5_error }
        })
      )
      const evaluation = this.#checked(attemptId, () =>
        row.evaluation === null ? null : readEvaluation(row.evaluation)
      )
      return { row, evaluation, scores }
    })
    const [attempt, drawingPng, heatmapPng] = await Promise.all([
      this.#summary(row),
      this.readAttemptFile(attemptId, 'drawingPng'),
      this.readAttemptFile(attemptId, 'heatmapPng')
    ])
    if (attempt.damaged) throw this.#damaged(attemptId, attempt.damaged)
    return { attempt, evaluation, scores, drawingPng, heatmapPng }
  }

  attemptJournal(attemptId: string): AttemptJournal {
    this.attemptFolder(attemptId)
    return this.#guard('read the attempt journal', () => {
      const row = this.#sql(
        'SELECT reference_id, started_at, frame_width, frame_height FROM attempts WHERE id = ?'
      ).get(attemptId) as
        { reference_id: string; started_at: number; frame_width: number; frame_height: number } | undefined
      if (!row) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      return {
        attemptId,
        referenceId: row.reference_id,
        frame: { width: row.frame_width, height: row.frame_height },
        startedAt: this.#checked(attemptId, () => iso(row.started_at)),
        entries: this.#journalEntries(attemptId)
      }
    })
  }

  /** Soft delete; deleting twice keeps the first time. */
  deleteAttempt(attemptId: string, now: Date = new Date()): { attemptId: string; deletedAt: string } {
    return this.#guard('delete the attempt', () => {
      const row = this.#sql(
        'UPDATE attempts SET deleted_at = coalesce(deleted_at, ?) WHERE id = ? RETURNING deleted_at'
      ).all(now.getTime(), attemptId)[0] as { deleted_at: number } | undefined
      if (!row) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      this.#wrote(100)
      return { attemptId, deletedAt: iso(row.deleted_at) }
    })
  }

  restoreAttempt(attemptId: string): { attemptId: string } {
    return this.#guard('restore the attempt', () => {
      const result = this.#sql('UPDATE attempts SET deleted_at = NULL WHERE id = ?').run(attemptId)
      if (result.changes === 0) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      this.#wrote(100)
      return { attemptId }
    })
  }

  progressSeries(referenceId: string): ProgressSeries {
    return this.#guard('read the progress chart', () => {
      let rows = this.#sql(
        `SELECT id, ended_at, top5_error FROM attempts
         WHERE reference_id = ? AND deleted_at IS NULL AND discarded_at IS NULL AND top5_error IS NOT NULL
         ORDER BY ended_at, id`
      ).all(referenceId) as unknown as { id: string; ended_at: number; top5_error: number }[]
      // A damaged figure (not finite) cannot be charted: that attempt is left out of the chart.
      rows = rows.filter((r) => Number.isFinite(r.top5_error) && r.top5_error >= 0)
      let best: { attemptId: string; top5Error: number } | null = null
      for (const r of rows)
        if (best === null || r.top5_error < best.top5Error) best = { attemptId: r.id, top5Error: r.top5_error }
      return {
        referenceId,
        points: rows.map((r) => ({
          attemptId: r.id,
          endedAt: iso(r.ended_at),
          top5Error: r.top5_error,
          personalBest: r.id === best?.attemptId
        })),
        best
      }
    })
  }

  /** Every live attempt (optionally of one reference), oldest first, for export. */
  exportRows(referenceId?: string): ExportRow[] {
    return this.#guard('export the history', () => {
      const where = referenceId === undefined ? 'a.deleted_at IS NULL' : 'a.deleted_at IS NULL AND a.reference_id = ?'
      const rows = this.#sql(
        `SELECT ${SUMMARY_COLUMNS}, a.evaluation, r.source, r.width, r.height
         FROM attempts a JOIN reference_images r ON r.id = a.reference_id WHERE ${where} ORDER BY a.started_at, a.id`
      ).all(...(referenceId === undefined ? [] : [referenceId])) as unknown as (SummaryRow & {
        evaluation: string | null
        source: ReferenceSource
        width: number
        height: number
      })[]
      // Every attempt is exported as it is stored, each figure checked: a damaged one is left
      // empty rather than failing the whole export or exporting NaN.
      const orNull = <T>(read: () => T): T | null => {
        try {
          return read()
        } catch {
          return null
        }
      }
      return rows.map((r) => ({
        attemptId: r.id,
        reference: { id: r.reference_id, name: r.reference_name, source: r.source, width: r.width, height: r.height },
        startedAt: orNull(() => iso(r.started_at)) ?? new Date(0).toISOString(),
        endedAt: r.ended_at === null ? null : orNull(() => iso(r.ended_at as number)),
        activeMs: Number.isFinite(r.active_ms) ? r.active_ms : 0,
        strokeCount: r.stroke_count,
        top5Error: orNull(() => (checkFigure(r.top5_error, 'score', true), r.top5_error)),
        frame: { width: r.frame_width, height: r.frame_height },
        discarded: r.discarded_at !== null,
        evaluation: r.evaluation === null ? null : orNull(() => readEvaluation(r.evaluation as string))
      }))
    })
  }

  /** A stored reference, its ink settings checked. */
  #reference(row: ReferenceRow): StoredReference {
    let inkSettings: InkSettings
    try {
      inkSettings = readInkSettings(row.ink_settings)
    } catch (err) {
      throw new StudioError(
        'storage',
        `the reference "${row.id}" in the history ${this.path} is damaged: ${(err as Error).message}`
      )
    }
    return { id: row.id, name: row.name, source: row.source, width: row.width, height: row.height, inkSettings }
  }

  /** The query plan of a statement, for tests that check index use (no timing). */
  queryPlan(sql: string, ...params: (string | number | null)[]): string[] {
    return (this.#db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail)
  }
}

/** A journal row's op, its stroke decoded and checked (RangeError for a damaged one). */
function toOp(row: JournalRow): Edit {
  switch (row.kind) {
    case 'stroke': {
      // The table's CHECK constraints guarantee a stroke row has its tool, size and points, and
      // that a construction line is a pen stroke.
      const points = unpackPoints(row.points_codec, row.points as Uint8Array)
      const problem = strokeProblem(row.size as number, points)
      if (problem) throw new RangeError(`its stroke is damaged (${problem})`)
      if (row.layer === 'construction')
        return { kind: 'stroke', layer: 'construction', stroke: { tool: 'pen', size: row.size as number, points } }
      return { kind: 'stroke', stroke: { tool: row.tool as Tool, size: row.size as number, points } }
    }
    case 'clear':
      return row.layer === 'construction' ? { kind: 'clear', layer: 'construction' } : { kind: 'clear' }
    case 'undo':
    case 'redo':
      return { kind: row.kind }
  }
}

/** Delete attempts soft-deleted before `before` (ms), with their journals; their ids. */
function purgeDeleted(db: DatabaseSync, before: number): string[] {
  const rows = db
    .prepare('DELETE FROM attempts WHERE deleted_at IS NOT NULL AND deleted_at < ? RETURNING id')
    .all(before) as { id: string }[]
  return rows.map((r) => r.id).filter((id) => ATTEMPT_ID.test(id))
}
