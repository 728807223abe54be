// Turning SQLite and file-system failures into StudioError('storage') messages a user can act
// on: what we were doing, which file, and what the disk said.
import { randomBytes } from 'node:crypto'
import { unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { StudioError } from '#shared/contract/errors.ts'

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
  return (
    err instanceof Error &&
    (err as Partial<SqliteError>).code === 'ERR_SQLITE_ERROR' &&
    typeof (err as Partial<SqliteError>).errcode === 'number'
  )
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
 * Why a folder cannot be written to, found by writing a small probe file in it: null if it can.
 * SQLite reports a refused write as a bare "disk I/O error" or "unable to open database file";
 * the probe gets the operating system's own answer (read-only, full, ...).
 */
export function probeWritable(dir: string): NodeJS.ErrnoException | null {
  const probe = join(dir, `.sightline-probe-${randomBytes(6).toString('hex')}`)
  try {
    writeFileSync(probe, 'probe')
  } catch (err) {
    return err as NodeJS.ErrnoException
  }
  try {
    unlinkSync(probe)
  } catch {
    // Created but not removable: still writable enough.
  }
  return null
}

function because(err: unknown, path: string): string {
  const detail = err instanceof Error ? err.message : String(err)
  const sqlite = sqlitePrimaryCode(err)
  const errno = errnoCode(err)
  if (sqlite === SQLITE_FULL || errno === 'ENOSPC' || errno === 'EDQUOT') return `the disk is full (${path})`
  if (sqlite === SQLITE_READONLY || errno === 'EROFS' || errno === 'EACCES' || errno === 'EPERM')
    return `${path} is read-only or not writable by this user`
  if (sqlite === SQLITE_BUSY || sqlite === SQLITE_LOCKED) return `${path} is locked by another program`
  if (sqlite === SQLITE_CORRUPT || sqlite === SQLITE_NOTADB) return `${path} is damaged (${detail})`
  if (sqlite === SQLITE_CANTOPEN) return `${path} cannot be opened or created (${detail})`
  if (sqlite === SQLITE_IOERR || errno === 'EIO') return `the disk reported an error on ${path} (${detail})`
  if (errno === 'ENOTDIR' || errno === 'EEXIST') return `a file is in the way where the folder ${path} should be`
  if (errno === 'ENOENT') return `${path} does not exist`
  return `${path}: ${detail}`
}

/**
 * A StudioError('storage') for a failure while doing `what` (e.g. "save the stroke") on `path`.
 * With `folder`, a vague SQLite I/O failure is explained by probing that folder. StudioErrors
 * pass through unchanged.
 */
export function storageError(err: unknown, what: string, path: string, folder?: string): StudioError {
  if (err instanceof StudioError) return err
  const sqlite = sqlitePrimaryCode(err)
  if (folder !== undefined && (sqlite === SQLITE_IOERR || sqlite === SQLITE_CANTOPEN || sqlite === SQLITE_READONLY)) {
    const refused = probeWritable(folder)
    if (refused) return new StudioError('storage', `could not ${what}: ${because(refused, folder)}`)
  }
  return new StudioError('storage', `could not ${what}: ${because(err, path)}`)
}
