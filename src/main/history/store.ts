// The history store: references, attempts and their per-op journal in node:sqlite, plus each
// attempt's images as files. The attempt service writes through it (one journal row per op,
// committed before the op's answer goes back), the history API reads through it.
//
// Database calls are synchronous (node:sqlite); each is small and indexed. File calls are async.
// Every failure leaves as a StudioError: 'storage' for the disk or database, 'not-found' for an
// unknown id, 'invalid-input' for a call that does not fit the attempt's state.
import { randomUUID } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
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
import { markDamaged, openDatabase, type OpenOptions } from './database.ts'
import { packPoints, unpackPoints } from './points.ts'
import { isCorruption, sqlitePrimaryCode, SQLITE_CONSTRAINT, storageError } from './storage-errors.ts'

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
  /** The score after the last committed op; null if nothing was committed. */
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
 * checkpoints on its own: shortly after enough has been written (while the artist draws the
 * next stroke), or right after a grouped write. Until then the WAL holds the data, durably.
 */
const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024
const CHECKPOINT_DELAY_MS = 250

const ATTEMPT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

function iso(ms: number): string {
  return new Date(ms).toISOString()
}

function top5Of(evaluation: Evaluation): number | null {
  return evaluation.status === 'scored' ? evaluation.top5Error : null
}

function isPng(bytes: Uint8Array): boolean {
  return bytes.length > PNG_SIGNATURE.length && PNG_SIGNATURE.every((b, i) => bytes[i] === b)
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
  tool: Tool | null
  size: number | null
  points: Uint8Array | null
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
    THEN (SELECT count(*) FROM journal j WHERE j.attempt_id = a.id AND j.kind = 'stroke')
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
  /** Set when a damaged database was set aside while opening. */
  readonly recovered: HistoryRecovery | null
  readonly #db: DatabaseSync
  readonly #statements = new Map<string, StatementSync>()
  /** Per-attempt chain so two saves of one attempt's files never interleave. */
  readonly #fileWrites = new Map<string, Promise<unknown>>()
  /** Roughly how much was written since the last checkpoint. */
  #unCheckpointed = 0
  #checkpointTimer: NodeJS.Timeout | null = null

  private constructor(dataDir: string, db: DatabaseSync, path: string, recovered: HistoryRecovery | null) {
    this.dataDir = dataDir
    this.#db = db
    this.path = path
    this.recovered = recovered
  }

  /** Open or create `<dataDir>/history.sqlite` (see openDatabase for what happens to a damaged one). */
  static open(dataDir: string, options: OpenOptions = {}): HistoryStore {
    const { db, path, recovered } = openDatabase(dataDir, options)
    try {
      db.exec('PRAGMA wal_autocheckpoint = 0')
    } catch (err) {
      db.close()
      throw storageError(err, 'open the history', path, dataDir)
    }
    return new HistoryStore(dataDir, db, path, recovered)
  }

  /** Close the database (SQLite checkpoints the WAL into it as the last connection closes). */
  close(): void {
    if (this.#checkpointTimer) clearTimeout(this.#checkpointTimer)
    this.#checkpointTimer = null
    if (this.#db.isOpen) this.#db.close()
  }

  /**
   * Copy the WAL into the database file now. A failure loses nothing (the WAL still has every
   * commit) and is left for the next write to report.
   */
  checkpoint(): void {
    if (this.#checkpointTimer) clearTimeout(this.#checkpointTimer)
    this.#checkpointTimer = null
    this.#unCheckpointed = 0
    if (!this.#db.isOpen || this.#db.isTransaction) return
    try {
      this.#db.exec('PRAGMA wal_checkpoint(PASSIVE)')
    } catch {
      // See above: nothing is lost.
    }
  }

  #wrote(bytes: number): void {
    this.#unCheckpointed += bytes
    if (this.#unCheckpointed < CHECKPOINT_AFTER_BYTES || this.#checkpointTimer) return
    this.#checkpointTimer = setTimeout(() => this.checkpoint(), CHECKPOINT_DELAY_MS)
    this.#checkpointTimer.unref()
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
    if (outermost && this.#unCheckpointed >= CHECKPOINT_AFTER_BYTES) this.checkpoint()
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
      return row ? toReference(row) : null
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
      const evaluation = JSON.stringify(entry.evaluation)
      const row = this.#sql(
        `INSERT INTO journal (attempt_id, seq, kind, tool, size, points, evaluation, top5_error, active_ms, at)
         SELECT id, coalesce((SELECT max(seq) FROM journal WHERE attempt_id = ?1), 0) + 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
         FROM attempts WHERE id = ?1 AND ended_at IS NULL
         RETURNING seq`
      ).all(
        attemptId,
        op.kind,
        stroke?.tool ?? null,
        stroke?.size ?? null,
        points,
        evaluation,
        top5Of(entry.evaluation),
        wholeMs(entry.activeMs, 'activeMs'),
        (entry.at ?? new Date()).getTime()
      )[0] as { seq: number } | undefined
      if (!row) throw this.#whyNotOpen(attemptId)
      this.#wrote((points?.length ?? 0) + evaluation.length + 100)
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
      const result = this.#sql(
        `UPDATE attempts SET ended_at = ?, active_ms = ?, evaluation = ?, top5_error = ?,
           stroke_count = (SELECT count(*) FROM journal WHERE attempt_id = attempts.id AND kind = 'stroke')
         WHERE id = ? AND ended_at IS NULL`
      ).run(
        endedAt,
        wholeMs(args.activeMs, 'activeMs'),
        JSON.stringify(args.evaluation),
        top5Of(args.evaluation),
        attemptId
      )
      if (result.changes === 0) throw this.#whyNotOpen(attemptId)
    })
  }

  /** Write the given images to `<dataDir>/attempts/<id>/`, each atomically. */
  async saveAttemptFiles(attemptId: string, files: AttemptFiles): Promise<void> {
    const dir = this.attemptFolder(attemptId)
    this.#requireAttempt(attemptId)
    for (const [key, bytes] of Object.entries(files) as [keyof AttemptFiles, Uint8Array | undefined][]) {
      if (bytes !== undefined && !isPng(bytes))
        throw new StudioError('invalid-input', `${FILE_NAMES[key]} for attempt "${attemptId}" is not a PNG`)
    }
    const previous = this.#fileWrites.get(attemptId) ?? Promise.resolve()
    const write = previous
      .catch(() => undefined)
      .then(async () => {
        try {
          await mkdir(dir, { recursive: true })
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
      return new Uint8Array(await readFile(path))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
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

  /** Any live attempt, finished or not, with its journal replayed: what carrying on drawing it needs. */
  attemptToResume(attemptId: string): UnfinishedAttempt {
    this.attemptFolder(attemptId)
    return this.#guard('read the attempt', () => {
      const row = this.#sql(
        `SELECT a.id, a.started_at, a.frame_width, a.frame_height,
           r.id AS ref_id, r.name, r.source, r.width, r.height, r.ink_settings
         FROM attempts a JOIN reference_images r ON r.id = a.reference_id
         WHERE a.id = ? AND a.deleted_at IS NULL`
      ).get(attemptId) as
        | (Omit<ReferenceRow, 'id'> & {
            id: string
            ref_id: string
            started_at: number
            frame_width: number
            frame_height: number
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
      return {
        attemptId: row.id,
        reference: toReference({ ...row, id: row.ref_id }),
        frame: { width: row.frame_width, height: row.frame_height },
        startedAt: iso(row.started_at),
        activeMs: entries.length > 0 ? entries[entries.length - 1].activeMs : 0,
        entries,
        history,
        evaluation: entries.length > 0 ? entries[entries.length - 1].evaluation : null
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
      this.#sql('UPDATE attempts SET ended_at = NULL, evaluation = NULL, top5_error = NULL WHERE id = ?').run(attemptId)
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

  #journalEntries(attemptId: string): JournalEntry[] {
    const rows = this.#sql(
      'SELECT seq, kind, tool, size, points, evaluation, active_ms, at FROM journal WHERE attempt_id = ? ORDER BY seq'
    ).all(attemptId) as unknown as JournalRow[]
    return rows.map((row) => ({
      seq: row.seq,
      op: toOp(row),
      evaluation: JSON.parse(row.evaluation) as Evaluation,
      activeMs: row.active_ms,
      at: iso(row.at)
    }))
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

  async #summary(row: SummaryRow): Promise<AttemptSummary> {
    return {
      attemptId: row.id,
      referenceId: row.reference_id,
      referenceName: row.reference_name,
      startedAt: iso(row.started_at),
      endedAt: row.ended_at === null ? null : iso(row.ended_at),
      activeMs: row.active_ms,
      strokeCount: row.stroke_count,
      top5Error: row.top5_error,
      frame: { width: row.frame_width, height: row.frame_height },
      discarded: row.discarded_at !== null,
      thumbnailPng: await this.readAttemptFile(row.id, 'thumbPng')
    }
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
      ).map((s): OpScore => ({ seq: s.seq, kind: s.kind, at: iso(s.at), top5Error: s.top5_error }))
      return { row, evaluation: row.evaluation === null ? null : (JSON.parse(row.evaluation) as Evaluation), scores }
    })
    const [attempt, drawingPng, heatmapPng] = await Promise.all([
      this.#summary(row),
      this.readAttemptFile(attemptId, 'drawingPng'),
      this.readAttemptFile(attemptId, 'heatmapPng')
    ])
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
        startedAt: iso(row.started_at),
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
      return { attemptId, deletedAt: iso(row.deleted_at) }
    })
  }

  restoreAttempt(attemptId: string): { attemptId: string } {
    return this.#guard('restore the attempt', () => {
      const result = this.#sql('UPDATE attempts SET deleted_at = NULL WHERE id = ?').run(attemptId)
      if (result.changes === 0) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      return { attemptId }
    })
  }

  progressSeries(referenceId: string): ProgressSeries {
    return this.#guard('read the progress chart', () => {
      const rows = this.#sql(
        `SELECT id, ended_at, top5_error FROM attempts
         WHERE reference_id = ? AND deleted_at IS NULL AND discarded_at IS NULL AND top5_error IS NOT NULL
         ORDER BY ended_at, id`
      ).all(referenceId) as unknown as { id: string; ended_at: number; top5_error: number }[]
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
      return rows.map((r) => ({
        attemptId: r.id,
        reference: { id: r.reference_id, name: r.reference_name, source: r.source, width: r.width, height: r.height },
        startedAt: iso(r.started_at),
        endedAt: r.ended_at === null ? null : iso(r.ended_at),
        activeMs: r.active_ms,
        strokeCount: r.stroke_count,
        top5Error: r.top5_error,
        frame: { width: r.frame_width, height: r.frame_height },
        discarded: r.discarded_at !== null,
        evaluation: r.evaluation === null ? null : (JSON.parse(r.evaluation) as Evaluation)
      }))
    })
  }

  /** The query plan of a statement, for tests that check index use (no timing). */
  queryPlan(sql: string, ...params: (string | number | null)[]): string[] {
    return (this.#db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail)
  }
}

function toReference(row: ReferenceRow): StoredReference {
  return {
    id: row.id,
    name: row.name,
    source: row.source,
    width: row.width,
    height: row.height,
    inkSettings: JSON.parse(row.ink_settings) as InkSettings
  }
}

function toOp(row: JournalRow): Edit {
  switch (row.kind) {
    case 'stroke':
      // The table's CHECK constraints guarantee a stroke row has its tool, size and points.
      return {
        kind: 'stroke',
        stroke: { tool: row.tool as Tool, size: row.size as number, points: unpackPoints(row.points as Uint8Array) }
      }
    case 'clear':
    case 'undo':
    case 'redo':
      return { kind: row.kind }
  }
}
