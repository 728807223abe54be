// The history schema, versioned by PRAGMA user_version. Each migration runs in its own
// transaction together with the version bump, so a crash mid-migration leaves the previous
// version intact. Never edit a released migration: add the next one.
import type { DatabaseSync } from 'node:sqlite'

export interface Migration {
  /** The user_version after this migration: 1, 2, 3, ... with no gaps. */
  version: number
  description: string
  up(db: DatabaseSync): void
  /**
   * The step rebuilds a table others refer to (SQLite's way to change a constraint): foreign keys
   * are switched off around its transaction, as SQLite asks, and checked in full before it commits.
   */
  rebuildsTables?: boolean
}

const V1 = `
CREATE TABLE reference_images (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('bundled', 'library')),
  width INTEGER NOT NULL CHECK (width > 0),
  height INTEGER NOT NULL CHECK (height > 0),
  ink_settings TEXT NOT NULL CHECK (json_valid(ink_settings)),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
) STRICT;

CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  reference_id TEXT NOT NULL REFERENCES reference_images (id),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  active_ms INTEGER NOT NULL DEFAULT 0 CHECK (active_ms >= 0),
  stroke_count INTEGER NOT NULL DEFAULT 0 CHECK (stroke_count >= 0),
  evaluation TEXT CHECK (evaluation IS NULL OR json_valid(evaluation)),
  top5_error REAL,
  deleted_at INTEGER,
  -- A finished attempt has its final evaluation, an unfinished one has none.
  CHECK ((ended_at IS NULL) = (evaluation IS NULL)),
  CHECK (top5_error IS NULL OR evaluation IS NOT NULL)
) STRICT;

-- The history list (newest first, optionally per reference) and the progress chart only ever
-- read live attempts, so the indexes skip deleted ones.
CREATE INDEX attempts_live_by_start ON attempts (started_at, id) WHERE deleted_at IS NULL;
CREATE INDEX attempts_live_by_reference ON attempts (reference_id, started_at, id) WHERE deleted_at IS NULL;
CREATE INDEX attempts_unfinished ON attempts (started_at) WHERE ended_at IS NULL;

CREATE TABLE journal (
  attempt_id TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  kind TEXT NOT NULL CHECK (kind IN ('stroke', 'clear', 'undo', 'redo')),
  tool TEXT CHECK (tool IN ('pen', 'eraser')),
  size REAL,
  points BLOB,
  evaluation TEXT NOT NULL,
  top5_error REAL,
  active_ms INTEGER NOT NULL CHECK (active_ms >= 0),
  at INTEGER NOT NULL,
  PRIMARY KEY (attempt_id, seq),
  -- A stroke has a tool, a size and points; nothing else has any.
  CHECK ((kind = 'stroke') = (tool IS NOT NULL AND size IS NOT NULL AND points IS NOT NULL)),
  CHECK (kind = 'stroke' OR (tool IS NULL AND size IS NULL AND points IS NULL))
) STRICT;
`

// Training (issue 13): sessions and their drawings, drills' own figures per attempt, and drills as
// a source of references. The reference table is rebuilt to widen its source check (SQLite cannot
// alter a CHECK); its current definition, indexes and triggers are carried over as they are, so
// the step holds whatever earlier steps added to it.
const TRAINING = `
CREATE TABLE training_sessions (
  id TEXT PRIMARY KEY,
  plan TEXT NOT NULL CHECK (json_valid(plan)),
  seed INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER
) STRICT;
CREATE INDEX training_sessions_by_start ON training_sessions (started_at);

CREATE TABLE session_drawings (
  session_id TEXT NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 0),
  reference_id TEXT NOT NULL,
  seconds INTEGER NOT NULL CHECK (seconds > 0),
  -- An attempt purged from the history leaves its place in the session empty.
  attempt_id TEXT REFERENCES attempts (id) ON DELETE SET NULL,
  PRIMARY KEY (session_id, position)
) STRICT;
CREATE INDEX session_drawings_by_attempt ON session_drawings (attempt_id) WHERE attempt_id IS NOT NULL;

CREATE TABLE drill_results (
  attempt_id TEXT PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  figures TEXT NOT NULL CHECK (json_valid(figures)),
  headline REAL NOT NULL
) STRICT;
`

const OLD_SOURCES = "CHECK (source IN ('bundled', 'library'))"
const NEW_SOURCES = "CHECK (source IN ('bundled', 'library', 'drill'))"

export function addTraining(db: DatabaseSync): void {
  db.exec(TRAINING)
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'reference_images'").get() as
    { sql: string } | undefined
  if (!table?.sql.includes(OLD_SOURCES))
    throw new Error('reference_images does not have the source check this step widens')
  const extras = (
    db
      .prepare(
        "SELECT sql FROM sqlite_schema WHERE tbl_name = 'reference_images' AND type IN ('index', 'trigger') AND sql IS NOT NULL"
      )
      .all() as { sql: string }[]
  ).map((r) => r.sql)
  // SQLite's table rebuild (foreign keys are off around this step, see rebuildsTables): a new
  // table with the wider check takes the rows, the old one goes, the new one takes its name.
  db.exec(
    table.sql
      .replace(OLD_SOURCES, NEW_SOURCES)
      .replace(/^CREATE TABLE\s+"?reference_images"?/, 'CREATE TABLE reference_images_new')
  )
  db.exec('INSERT INTO reference_images_new SELECT * FROM reference_images')
  db.exec('DROP TABLE reference_images')
  db.exec('ALTER TABLE reference_images_new RENAME TO reference_images')
  for (const sql of extras) db.exec(sql)
}

/**
 * Version 2, the history kept small and checkable:
 * - each journal row keeps the headline figures of its evaluation (what the per-edit chart and
 *   replay show); the full one stays with the finished attempt, and the latest full one of an
 *   unfinished attempt is kept beside it (unfinished_evaluation) for resuming;
 * - points_codec says how the row's stroke points are stored (0: raw Float64, every row so far;
 *   1: lattice varints, see points.ts);
 * - history_meta.writes counts every change to attempts and the journal (triggers), so a history
 *   that lost changes (a lost -wal file, an emptied or replaced file) can be told at start-up
 *   from the count recorded beside it and in the backups;
 * - an index to find soft-deleted attempts to purge.
 */
const V2_SCHEMA = `
CREATE TABLE unfinished_evaluation (
  attempt_id TEXT PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
  evaluation TEXT NOT NULL CHECK (json_valid(evaluation))
) STRICT;

ALTER TABLE journal ADD COLUMN points_codec INTEGER NOT NULL DEFAULT 0 CHECK (points_codec IN (0, 1));

CREATE TABLE history_meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
INSERT INTO history_meta (key, value) VALUES ('writes', 0);
CREATE TRIGGER count_journal_insert AFTER INSERT ON journal
  BEGIN UPDATE history_meta SET value = value + 1 WHERE key = 'writes'; END;
CREATE TRIGGER count_attempt_insert AFTER INSERT ON attempts
  BEGIN UPDATE history_meta SET value = value + 1 WHERE key = 'writes'; END;
CREATE TRIGGER count_attempt_update AFTER UPDATE ON attempts
  BEGIN UPDATE history_meta SET value = value + 1 WHERE key = 'writes'; END;
CREATE TRIGGER count_attempt_delete AFTER DELETE ON attempts
  BEGIN UPDATE history_meta SET value = value + 1 WHERE key = 'writes'; END;

CREATE INDEX attempts_deleted ON attempts (deleted_at) WHERE deleted_at IS NOT NULL;
`

/** The headline keys of a stored evaluation (see EditScore); an empty one is kept whole. */
const HEADLINE_KEYS = [
  'status',
  'top5Error',
  'meanError',
  'topError',
  'referencePixels',
  'drawingPixels',
  'precision',
  'recall',
  'f1'
] as const

/** The headline of a stored evaluation's JSON, or the text unchanged if it is not one (reading reports that). */
function headlineJson(text: string): string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text
  }
  if (typeof value !== 'object' || value === null || (value as { status?: unknown }).status !== 'scored') return text
  const full = value as Record<string, unknown>
  return JSON.stringify(Object.fromEntries(HEADLINE_KEYS.map((k) => [k, full[k]])))
}

function v2(db: DatabaseSync): void {
  // The latest full evaluation of each unfinished attempt, before the journal keeps only headlines.
  db.exec(V2_SCHEMA.split('ALTER TABLE')[0])
  db.exec(`INSERT INTO unfinished_evaluation (attempt_id, evaluation)
    SELECT j.attempt_id, j.evaluation FROM journal j JOIN attempts a ON a.id = j.attempt_id
    WHERE a.ended_at IS NULL AND json_valid(j.evaluation)
      AND j.seq = (SELECT max(seq) FROM journal WHERE attempt_id = j.attempt_id)`)
  db.exec(`ALTER TABLE${V2_SCHEMA.split('ALTER TABLE')[1]}`)
  const page = db.prepare('SELECT rowid AS id, evaluation FROM journal WHERE rowid > ? ORDER BY rowid LIMIT 2000')
  const update = db.prepare('UPDATE journal SET evaluation = ? WHERE rowid = ?')
  for (let after = 0; ;) {
    const rows = page.all(after) as { id: number; evaluation: string }[]
    if (rows.length === 0) break
    for (const row of rows) {
      const headline = headlineJson(row.evaluation)
      if (headline !== row.evaluation) update.run(headline, row.id)
    }
    after = rows[rows.length - 1].id
  }
}

// Construction lines (a faint sketch layer, never scored) are journaled like any op, with
// layer 'construction'; NULL is the scored drawing, so every row written before stays what it was.
// Only pen strokes and clears can be construction ops (the eraser works on the drawing only).
const CONSTRUCTION_LAYER = `
ALTER TABLE journal ADD COLUMN layer TEXT
  CHECK (layer IS NULL OR (layer = 'construction' AND (kind = 'clear' OR (kind = 'stroke' AND tool = 'pen'))));
`

// Version 4: each attempt keeps its own evaluation frame (frames follow the reference's aspect
// since v4; every attempt before was drawn in the 500 x 500 frame), and may be discarded: kept in
// the history, left out of progress and personal bests.
const FRAMES = `
ALTER TABLE attempts ADD COLUMN frame_width INTEGER NOT NULL DEFAULT 500 CHECK (frame_width BETWEEN 64 AND 4096);
ALTER TABLE attempts ADD COLUMN frame_height INTEGER NOT NULL DEFAULT 500 CHECK (frame_height BETWEEN 64 AND 4096);
ALTER TABLE attempts ADD COLUMN discarded_at INTEGER;
`

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'references, attempts and the per-op journal', up: (db) => db.exec(V1) },
  {
    version: 2,
    description: 'headline scores per edit, compact stroke points, a change count, purge index',
    up: v2
  },
  {
    version: 3,
    description: 'construction lines: a journal row names its layer',
    up: (db) => db.exec(CONSTRUCTION_LAYER)
  },
  {
    version: 4,
    description: 'training sessions, drill results, drills as references',
    up: addTraining,
    rebuildsTables: true
  },
  { version: 5, description: "each attempt's own frame; discarded attempts", up: (db) => db.exec(FRAMES) }
]

export const LATEST_VERSION = MIGRATIONS.length

export function schemaVersion(db: DatabaseSync): number {
  return Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version)
}

export class NewerSchemaError extends Error {
  readonly found: number
  readonly known: number
  constructor(found: number, known: number) {
    super(`it was written by a newer Sightline Studio (schema version ${found}; this version knows up to ${known})`)
    this.name = 'NewerSchemaError'
    this.found = found
    this.known = known
  }
}

/**
 * Bring the database up to the latest version. Returns the versions before and after. Each step
 * takes the write lock first (BEGIN IMMEDIATE) and re-reads the version inside it, so two
 * processes opening the same file cannot both run a step.
 */
export function migrate(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i} has version ${m.version}, expected ${i + 1}`)
  })
  const from = schemaVersion(db)
  if (from > migrations.length) throw new NewerSchemaError(from, migrations.length)
  for (;;) {
    const next = migrations[schemaVersion(db)]
    const foreignKeys = foreignKeysOn(db)
    // Only outside a transaction does this pragma take effect.
    if (next?.rebuildsTables && foreignKeys) db.exec('PRAGMA foreign_keys = OFF')
    try {
      db.exec('BEGIN IMMEDIATE')
      try {
        const current = schemaVersion(db)
        if (current > migrations.length) throw new NewerSchemaError(current, migrations.length)
        if (current === migrations.length) {
          db.exec('COMMIT')
          return { from, to: current }
        }
        const step = migrations[current]
        // Another process moved the version on since we looked: look again (with the pragma right).
        if (step !== next) {
          db.exec('ROLLBACK')
          continue
        }
        step.up(db)
        if (step.rebuildsTables) {
          const broken = db.prepare('PRAGMA foreign_key_check').all()
          if (broken.length > 0) throw new Error(`migration ${step.version} left ${broken.length} broken references`)
        }
        db.exec(`PRAGMA user_version = ${step.version}`)
        db.exec('COMMIT')
      } catch (err) {
        if (db.isTransaction) db.exec('ROLLBACK')
        throw err
      }
    } finally {
      if (next?.rebuildsTables && foreignKeys) db.exec('PRAGMA foreign_keys = ON')
    }
  }
}

function foreignKeysOn(db: DatabaseSync): boolean {
  return Number((db.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number }).foreign_keys) === 1
}
