// Daily copies of the history: <dataDir>/backups/history-<time>.sqlite, made at start-up when the
// newest is a day old, the last KEEP_BACKUPS kept. A copy is SQLite's online backup of a
// read-only connection, which runs on a worker thread (the studio keeps answering while a large
// history is copied) and is one consistent snapshot; it is then switched to a rollback journal so
// it is one self-contained file, written under a temporary name and renamed into place.
// A history whose change count is below its newest backup's lost changes: it is not copied (its
// loss must not rotate the good copies out), and start-up offers the backup instead.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { join } from 'node:path'
import { backup as sqliteBackup, DatabaseSync } from 'node:sqlite'
import { randomBytes } from 'node:crypto'
import type { HistoryBackup } from '#shared/contract/history.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { storageError } from './storage-errors.ts'

export const BACKUP_FOLDER = 'backups'
export const KEEP_BACKUPS = 5
export const BACKUP_EVERY_MS = 24 * 3600 * 1000

const NAME = /^history-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.sqlite$/

export interface BackupFile extends HistoryBackup {
  path: string
  /** The history's change count when it was copied (history_meta.writes). */
  writes: number
}

const stamp = (date: Date): string => date.toISOString().replace(/[:.]/g, '-')
const timeOf = (s: string): string => s.replace(/^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2})-(\d{3}Z)$/, '$1:$2:$3.$4')

export function backupFolder(dataDir: string): string {
  return join(dataDir, BACKUP_FOLDER)
}

/** What a copy holds: live attempts and the change count; null if it is not a readable history. */
function describe(path: string): { attempts: number; writes: number } | null {
  let db: DatabaseSync | null = null
  try {
    db = new DatabaseSync(path, { readOnly: true })
    const attempts = db.prepare('SELECT count(*) AS n FROM attempts WHERE deleted_at IS NULL').get() as { n: number }
    const writes = db.prepare("SELECT value FROM history_meta WHERE key = 'writes'").get() as
      { value: number } | undefined
    return { attempts: Number(attempts.n), writes: Number(writes?.value ?? 0) }
  } catch {
    return null
  } finally {
    db?.close()
  }
}

/** Every readable backup, newest first. Unreadable files are left alone and not listed. */
export function listBackups(dataDir: string): BackupFile[] {
  const dir = backupFolder(dataDir)
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const out: BackupFile[] = []
  for (const name of names) {
    const m = NAME.exec(name)
    if (!m) continue
    const path = join(dir, name)
    const facts = describe(path)
    if (!facts) continue
    out.push({
      name,
      path,
      at: timeOf(m[1]),
      attempts: facts.attempts,
      writes: facts.writes,
      bytes: statSync(path).size
    })
  }
  return out.sort((a, b) => b.at.localeCompare(a.at))
}

export const publicBackup = ({ name, at, attempts, bytes }: BackupFile): HistoryBackup => ({
  name,
  at,
  attempts,
  bytes
})

/** Whether a new copy is due: none yet, or the newest is at least a day old. */
export function backupDue(backups: readonly BackupFile[], now: Date): boolean {
  return backups.length === 0 || now.getTime() - Date.parse(backups[0].at) >= BACKUP_EVERY_MS
}

/** Copy the history at `source` into backups/ and keep the newest KEEP_BACKUPS. */
export async function makeBackup(source: string, dataDir: string, now: Date): Promise<BackupFile> {
  const dir = backupFolder(dataDir)
  const name = `history-${stamp(now)}.sqlite`
  const target = join(dir, name)
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`)
  let from: DatabaseSync | null = null
  try {
    mkdirSync(dir, { recursive: true })
    for (const stale of readdirSync(dir)) if (stale.endsWith('.tmp')) rmSync(join(dir, stale), { force: true })
    from = new DatabaseSync(source, { readOnly: true })
    // All pages in one step: one read transaction, so one consistent snapshot, off this thread.
    await sqliteBackup(from, temp, { rate: 2 ** 31 - 1 })
    const copy = new DatabaseSync(temp)
    try {
      copy.exec('PRAGMA journal_mode = DELETE')
    } finally {
      copy.close()
    }
    renameSync(temp, target)
  } catch (err) {
    rmSync(temp, { force: true })
    throw storageError(err, 'back up the history', target, dir)
  } finally {
    from?.close()
  }
  const all = listBackups(dataDir)
  for (const old of all.slice(KEEP_BACKUPS)) rmSync(old.path, { force: true })
  const made = all.find((b) => b.name === name)
  if (!made) throw new StudioError('storage', `the backup ${target} cannot be read back`)
  return made
}

/** Put a backup in place of the history file `target` (which must not exist): copy, then rename. */
export function copyBackupInto(backup: BackupFile, target: string): void {
  if (existsSync(target)) throw new StudioError('storage', `${target} is in the way of the restored history`)
  const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`
  try {
    copyFileSync(backup.path, temp)
    // On disk before it takes the history's place.
    const fd = openSync(temp, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, target)
  } catch (err) {
    rmSync(temp, { force: true })
    throw storageError(err, `restore the backup ${backup.name}`, target)
  }
}
