// Opening <dataDir>/history.sqlite: WAL, foreign keys, migrations, and what to do when the file
// is damaged (set it aside with its -wal/-shm, start a fresh one, report it), when it lost
// changes it had committed (report it, keep what there is and any damaged -wal file, offer the
// newest backup) versus when the disk refuses (a storage error; nothing is moved or deleted).
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import type { HistoryRecovery } from '#shared/contract/history.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { listBackups, publicBackup, type BackupFile } from './backups.ts'
import { migrate, MIGRATIONS, NewerSchemaError, schemaVersion, type Migration } from './migrations.ts'
import { isCorruption, storageError } from './storage-errors.ts'
import { readWriteCount } from './write-count.ts'

export const DATABASE_FILE = 'history.sqlite'
/** Written when corruption shows up mid-session, so the next start sets the file aside. */
export const DAMAGED_MARKER = 'history.damaged'
const SIDE_FILES = ['-wal', '-shm'] as const
/** How long a write waits for another connection's lock before giving up. */
const BUSY_TIMEOUT_MS = 5000
/** Tables small enough to check on every start (the journal is checked as it is read). */
const CHECKED_TABLES = ['reference_images', 'attempts'] as const

export interface OpenedDatabase {
  db: DatabaseSync
  path: string
  recovered: HistoryRecovery | null
  /** The database's change count (history_meta.writes). */
  writes: number
  /** The backups found, newest first. */
  backups: BackupFile[]
}

export interface OpenOptions {
  migrations?: readonly Migration[]
  now?: () => Date
  /** Extra set-up of each connection (tests cap the file size with it to fill the "disk"). */
  configure?: (db: DatabaseSync) => void
}

/** Thrown for a file that opens but is not ours or fails its check: it gets set aside. */
class Unusable extends Error {}

export function ensureFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw storageError(err, 'create the data folder', dir)
  }
  if (!lstatSync(dir).isDirectory())
    throw new StudioError('storage', `could not use the data folder: ${dir} is not a folder`)
}

/**
 * Open, configure, migrate and check. On failure the connection is closed; for a damaged or
 * foreign file `beforeClose` runs first, while SQLite still has it open: closing can delete or
 * checkpoint the -wal file, which is evidence worth keeping.
 */
function connect(path: string, options: OpenOptions, beforeClose?: (err: unknown) => void): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true })
  try {
    // WAL + synchronous=NORMAL: a commit is one append to the -wal file, durable against a
    // process kill (the OS has it); only a power cut can lose the last commits, never corrupt.
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = NORMAL')
    db.exec('PRAGMA foreign_keys = ON')
    options.configure?.(db)
    const version = schemaVersion(db)
    if (version === 0) {
      const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }
      if (tables.n > 0) throw new Unusable('it is an SQLite database, but not a Sightline history')
    }
    migrate(db, options.migrations ?? MIGRATIONS)
    for (const table of CHECKED_TABLES) {
      const rows = db.prepare(`PRAGMA quick_check(${table})`).all() as { quick_check: string }[]
      if (rows.length !== 1 || rows[0].quick_check !== 'ok')
        throw new Unusable(
          `its integrity check failed (${rows
            .map((r) => r.quick_check)
            .slice(0, 3)
            .join('; ')})`
        )
    }
    return db
  } catch (err) {
    if (beforeClose && (err instanceof Unusable || isCorruption(err))) beforeClose(err)
    db.close()
    throw err
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-')
}

/** Move the database and its -wal/-shm aside under a name that is not taken yet; null if there is none. */
function setAside(dir: string, now: Date): string | null {
  if (!existsSync(join(dir, DATABASE_FILE))) return null
  const base = `history.corrupt-${stamp(now)}`
  let target = join(dir, `${base}.sqlite`)
  for (let n = 2; existsSync(target); n++) target = join(dir, `${base}-${n}.sqlite`)
  renameSync(join(dir, DATABASE_FILE), target)
  for (const side of SIDE_FILES) {
    const from = join(dir, DATABASE_FILE + side)
    if (existsSync(from)) renameSync(from, target + side)
  }
  return target
}

/** setAside, or undefined where open files cannot be renamed (Windows): then it is done after closing. */
function trySetAside(dir: string, now: Date): string | null | undefined {
  try {
    return setAside(dir, now)
  } catch {
    return undefined
  }
}

function describe(err: unknown): string {
  if (err instanceof Unusable) return err.message
  return `it is damaged (${err instanceof Error ? err.message : String(err)})`
}

/** The database's own count of its changes. */
export function readWrites(db: DatabaseSync): number {
  const row = db.prepare("SELECT value FROM history_meta WHERE key = 'writes'").get() as { value: number } | undefined
  return Number(row?.value ?? 0)
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size
  } catch {
    return null
  }
}

/**
 * A copy of a non-empty -wal file taken before SQLite opens it: if the database then turns out
 * to lack changes, the -wal (damaged, or not the database's own) is the evidence worth keeping,
 * and SQLite would overwrite it with the next write.
 */
function copyWal(path: string): string | null {
  const wal = `${path}-wal`
  if (!sizeOf(wal)) return null
  const copy = join(path, '..', `.history-wal-${randomBytes(6).toString('hex')}.tmp`)
  try {
    copyFileSync(wal, copy)
    return copy
  } catch {
    return null
  }
}

/** What the files looked like before opening, to say what happened to lost changes. */
interface Before {
  database: number | null
  wal: number | null
  walCopy: string | null
}

/**
 * Whether the opened database lacks changes it had committed: its count is below the one
 * recorded beside it after the last write, or below its newest backup's. Keeps the damaged -wal
 * copy as `history.lost-<time>.sqlite-wal` and says why, or returns null when nothing is lost.
 */
function lostChanges(
  dataDir: string,
  writes: number,
  before: Before,
  backups: BackupFile[],
  at: Date
): HistoryRecovery | null {
  const recorded = readWriteCount(dataDir)
  const newest = backups[0] ?? null
  const expected = Math.max(recorded?.writes ?? 0, newest?.writes ?? 0)
  if (expected <= writes) return null
  let movedTo: string | null = null
  if (before.walCopy) {
    movedTo = join(dataDir, `history.lost-${stamp(at)}.sqlite-wal`)
    try {
      renameSync(before.walCopy, movedTo)
      before.walCopy = null
    } catch {
      movedTo = null
    }
  }
  const cause =
    before.database === null
      ? `${DATABASE_FILE} was missing`
      : before.database === 0
        ? `${DATABASE_FILE} was empty (0 bytes)`
        : before.wal
          ? `its -wal file, which held the latest changes, is damaged or not its own`
          : recorded && recorded.writes > writes
            ? `its -wal file, which held the latest changes, was missing`
            : `it is older than its newest backup (an older copy was put in its place)`
  const lost = expected - writes
  const since = recorded && recorded.writes === expected ? ` (up to ${recorded.at})` : ''
  return {
    kind: 'lost-changes',
    reason: `${cause}: ${lost} change${lost === 1 ? '' : 's'} to the history${since} are not in it`,
    movedTo,
    at: at.toISOString(),
    backup: newest && newest.writes > writes ? publicBackup(newest) : null
  }
}

/**
 * Open (creating if needed) the history database in `dataDir`. A damaged or foreign file is set
 * aside and a fresh one started; a file that lost committed changes is kept and used; either way
 * `recovered` says so and offers the newest backup. Every other failure is a StudioError
 * ('storage') and leaves the files as they were.
 */
export function openDatabase(dataDir: string, options: OpenOptions = {}): OpenedDatabase {
  const now = options.now ?? (() => new Date())
  ensureFolder(dataDir)
  const path = join(dataDir, DATABASE_FILE)
  const before: Before = { database: sizeOf(path), wal: sizeOf(`${path}-wal`), walCopy: copyWal(path) }
  try {
    const { db, recovered: setAsideAs } = openOrSetAside(dataDir, path, options, now())
    try {
      const writes = readWrites(db)
      const backups = listBackups(dataDir)
      const at = setAsideAs ? new Date(setAsideAs.at) : now()
      const recovered: HistoryRecovery | null = setAsideAs
        ? { ...setAsideAs, backup: backups[0] ? publicBackup(backups[0]) : null }
        : lostChanges(dataDir, writes, before, backups, at)
      return { db, path, recovered, writes, backups }
    } catch (err) {
      db.close()
      throw storageError(err, 'open the history', path, dataDir)
    }
  } finally {
    if (before.walCopy) rmSync(before.walCopy, { force: true })
  }
}

function openOrSetAside(
  dataDir: string,
  path: string,
  options: OpenOptions,
  at: Date
): { db: DatabaseSync; recovered: HistoryRecovery | null } {
  const marker = join(dataDir, DAMAGED_MARKER)

  let reason: string | null = null
  if (existsSync(marker)) reason = readFileSync(marker, 'utf8').trim() || 'it was found damaged while in use'
  else if (existsSync(path) && !lstatSync(path).isFile()) reason = 'it is not a regular file'

  let movedTo: string | null | undefined
  if (reason === null) {
    try {
      return { db: connect(path, options, () => (movedTo = trySetAside(dataDir, at))), recovered: null }
    } catch (err) {
      if (err instanceof NewerSchemaError)
        throw new StudioError('storage', `could not open the history ${path}: ${err.message}`)
      if (!(err instanceof Unusable) && !isCorruption(err)) throw storageError(err, 'open the history', path, dataDir)
      reason = describe(err)
    }
  }

  try {
    // Set aside now unless that already happened while the file was open (see connect).
    if (movedTo === undefined) movedTo = setAside(dataDir, at)
    rmSync(marker, { force: true })
  } catch (err) {
    throw storageError(err, `set the damaged history ${path} aside`, dataDir)
  }
  const recovered: HistoryRecovery | null =
    movedTo === null
      ? null
      : {
          kind: 'set-aside',
          reason: `${DATABASE_FILE} could not be used: ${reason}`,
          movedTo,
          at: at.toISOString(),
          backup: null
        }
  try {
    return { db: connect(path, options), recovered }
  } catch (err) {
    const aside = movedTo === null ? '' : ` after moving the damaged one to ${movedTo}`
    throw storageError(err, `start a fresh history${aside}`, path, dataDir)
  }
}

/** Note that the database is damaged, so the next start sets it aside. Best effort. */
export function markDamaged(dataDir: string, reason: string): void {
  try {
    writeFileSync(join(dataDir, DAMAGED_MARKER), `${reason}\n`)
  } catch {
    // The disk refuses too: the next start's own check is all that is left.
  }
}
