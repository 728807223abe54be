// One writer per data folder for the Node host (Electron has its own single-instance lock):
// `<dataDir>/host.lock` holds the owner's pid and start time. The file is created complete and
// in one step (written to a temp name, then hard-linked into place, which fails if it exists),
// so nobody ever reads a half-written lock. A lock whose pid is not running is stale (the host
// was killed) and is taken over.
import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { StudioError } from '#shared/contract/errors.ts'
import { storageError } from './storage-errors.ts'

export const LOCK_FILE = 'host.lock'

export interface LockOwner {
  pid: number
  startedAt: string
}

export interface DataDirLock {
  path: string
  owner: LockOwner
  /** Remove the lock if it is still ours. Safe to call twice. */
  release(): void
}

export interface LockOptions {
  pid?: number
  now?: () => Date
  /** Whether a process is running; injectable for tests. */
  isRunning?: (pid: number) => boolean
}

export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means running.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(path: string): LockOwner | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>
    if (Number.isSafeInteger(parsed.pid) && (parsed.pid as number) > 0 && typeof parsed.startedAt === 'string')
      return { pid: parsed.pid as number, startedAt: parsed.startedAt }
  } catch {
    // Not JSON: treated as a damaged, stale lock below.
  }
  return { pid: 0, startedAt: '' }
}

function sameOwner(a: LockOwner | null, b: LockOwner | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.startedAt === b.startedAt
}

/**
 * Take the data folder's lock, or throw StudioError('storage', "another Sightline host is using
 * <dir> (pid N)"). The folder must exist.
 */
export function acquireDataDirLock(dataDir: string, options: LockOptions = {}): DataDirLock {
  const isRunning = options.isRunning ?? isProcessRunning
  const owner: LockOwner = { pid: options.pid ?? process.pid, startedAt: (options.now?.() ?? new Date()).toISOString() }
  const path = join(dataDir, LOCK_FILE)
  const nonce = randomBytes(6).toString('hex')
  const temp = join(dataDir, `.${LOCK_FILE}.${owner.pid}.${nonce}.tmp`)
  try {
    writeFileSync(temp, JSON.stringify(owner) + '\n')
  } catch (err) {
    throw storageError(err, 'lock the data folder', dataDir)
  }
  try {
    // A few rounds: each lost race against another starting host means re-reading the lock.
    for (let round = 0; round < 5; round++) {
      try {
        createExclusive(temp, path, owner)
        return makeLock(path, owner)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw storageError(err, 'lock the data folder', dataDir)
      }
      const current = readOwner(path)
      if (current === null) continue // released meanwhile: try again
      if (current.pid > 0 && current.pid !== owner.pid && isRunning(current.pid)) {
        throw new StudioError('storage', `another Sightline host is using ${dataDir} (pid ${current.pid})`)
      }
      // Stale (dead pid, our own pid from an earlier life, or unreadable): move it out of the way
      // under a name only we use, then check it is the lock we judged, not a fresh one that
      // another host created in between; if it is fresh, put it back.
      const aside = join(dataDir, `.${LOCK_FILE}.stale.${nonce}`)
      try {
        renameSync(path, aside)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw storageError(err, 'take over the stale lock', path)
      }
      const moved = readOwner(aside)
      if (sameOwner(moved, current) || (moved !== null && moved.pid === 0 && current.pid === 0)) {
        unlinkSync(aside)
        continue
      }
      try {
        linkSync(aside, path)
      } catch {
        // Someone took the lock meanwhile; theirs stands.
      }
      unlinkSync(aside)
    }
    throw new StudioError('storage', `could not lock ${dataDir}: other Sightline hosts keep starting on it`)
  } finally {
    try {
      unlinkSync(temp)
    } catch {
      // Already gone.
    }
  }
}

/** Create `path` with the owner in it, failing with EEXIST if it exists. */
function createExclusive(temp: string, path: string, owner: LockOwner): void {
  try {
    linkSync(temp, path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    // File systems without hard links (FAT, some network shares): an exclusive create instead,
    // where a reader may briefly see an empty file (read as stale; the rename check covers it).
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw err
    writeFileSync(path, JSON.stringify(owner) + '\n', { flag: 'wx' })
  }
}

function makeLock(path: string, owner: LockOwner): DataDirLock {
  let released = false
  return {
    path,
    owner,
    release() {
      if (released) return
      released = true
      try {
        if (sameOwner(readOwner(path), owner)) unlinkSync(path)
      } catch {
        // The folder went away or is read-only now: a stale lock is taken over next time.
      }
    }
  }
}
