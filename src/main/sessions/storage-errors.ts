// Turning SQLite and file-system failures into StudioError('storage') messages a user can act
// on: what we were doing, which file, and what the disk said.
import { StudioError } from '../../shared/errors.ts'

// SQLite primary result codes (https://sqlite.org/rescode.html); node:sqlite reports the
// extended code in `errcode`, whose low byte is the primary one.
export const SQLITE_BUSY = 5
export const SQLITE_LOCKED = 6
export const SQLITE_READONLY = 8
export const SQLITE_IOERR = 10
export const SQLITE_CORRUPT = 11
export const SQLITE_FULL = 13
export const SQLITE_CANTOPEN = 14
export const SQLITE_CONSTRAINT = 19
export const SQLITE_NOTADB = 26

interface SqliteError extends Error {
  code: 'ERR_SQLITE_ERROR'
  errcode: number
  errstr: string
}

export function isSqliteError(err: unknown): err is SqliteError {
  return err instanceof Error && (err as Partial<SqliteError>).code === 'ERR_SQLITE_ERROR' && typeof (err as Partial<SqliteError>).errcode === 'number'
}

export function sqlitePrimaryCode(err: unknown): number | null {
  return isSqliteError(err) ? err.errcode & 0xff : null
}

/** The database file itself is damaged or is not a database: set it aside, start fresh. */
export function isCorruption(err: unknown): boolean {
  const code = sqlitePrimaryCode(err)
  return code === SQLITE_CORRUPT || code === SQLITE_NOTADB
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined
}

/**
 * A StudioError('storage') for a failure while doing `what` (e.g. "save the stroke") on `path`.
 * StudioErrors pass through unchanged.
 */
export function storageError(err: unknown, what: string, path: string): StudioError {
  if (err instanceof StudioError) return err
  const detail = err instanceof Error ? err.message : String(err)
  const sqlite = sqlitePrimaryCode(err)
  const errno = errnoCode(err)
  let why: string
  if (sqlite === SQLITE_FULL || errno === 'ENOSPC' || errno === 'EDQUOT') why = `the disk is full (${path})`
  else if (sqlite === SQLITE_READONLY || errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM') why = `${path} is read-only or not writable by this user`
  else if (sqlite === SQLITE_BUSY || sqlite === SQLITE_LOCKED) why = `${path} is locked by another program`
  else if (sqlite === SQLITE_CORRUPT || sqlite === SQLITE_NOTADB) why = `${path} is damaged (${detail})`
  else if (sqlite === SQLITE_CANTOPEN) why = `${path} cannot be opened or created (${detail})`
  else if (sqlite === SQLITE_IOERR || errno === 'EIO') why = `the disk reported an error on ${path} (${detail})`
  else if (errno === 'ENOTDIR' || errno === 'EEXIST') why = `a file is in the way where the folder ${path} should be`
  else if (errno === 'ENOENT') why = `${path} does not exist`
  else why = `${path}: ${detail}`
  return new StudioError('storage', `could not ${what}: ${why}`)
}
