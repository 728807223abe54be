// One writer per data folder for the Node host (Electron has its own single-instance lock):
// `<dataDir>/host.lock` holds the owner's pid, when it took the lock, and when the operating
// system started that process. The file is created complete and in one step (written to a temp
// name, then hard-linked into place, which fails if it exists), so nobody ever reads a
// half-written lock. A lock is stale, and taken over, when its pid is not running (the host was
// killed) or is running but was started at another time (the pid was reused by another program
// after a crash or a reboot). Where the start time cannot be read (Windows) a running pid holds
// the lock; `takeOver` (the host's --take-over-lock) is the way out when the user knows no host
// is running.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { StudioError } from '#shared/contract/errors.ts'
import { storageError } from './storage-errors.ts'

export const LOCK_FILE = 'host.lock'

export interface LockOwner {
  pid: number
  /** When the lock was taken (ISO). */
  startedAt: string
  /** When the operating system started the owner process, in its own terms; absent where unknown. */
  processStart?: string
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
  /** When a process started (see processStartOf); injectable for tests. */
  startOf?: (pid: number) => string | null
  /** Take the lock even from a running owner: the user knows no Sightline host is using the folder. */
  takeOver?: boolean
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

/**
 * When the operating system started process `pid`, as a string that changes when the pid is
 * reused, or null where that cannot be read. Linux: the boot id and the start time in clock
 * ticks since boot (/proc/<pid>/stat, field 22). macOS and the BSDs: ps's start time (to the
 * second). Elsewhere (Windows): null, a best effort.
 */
export function processStartOf(pid: number): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // The command name (field 2) is in parentheses and may hold spaces or ")": fields after the last ")".
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const ticks = after[19] // field 22 is the 20th after the name
      const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
      return ticks && /^\d+$/.test(ticks) ? `linux:${boot}:${ticks}` : null
    } catch {
      return null
    }
  }
  if (process.platform === 'win32') return null
  try {
    const out = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }).trim()
    return out ? `ps:${out}` : null
  } catch {
    return null
  }
}

/** Whether the owner recorded in a lock is the process now running under its pid. */
function ownerStillRuns(
  current: LockOwner,
  isRunning: (pid: number) => boolean,
  startOf: (pid: number) => string | null
): boolean {
  if (!isRunning(current.pid)) return false
  if (current.processStart === undefined) return true
  const now = startOf(current.pid)
  // Unreadable now (another user's process): the pid runs, so it holds the lock.
  return now === null || now === current.processStart
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
    if (Number.isSafeInteger(parsed.pid) && (parsed.pid as number) > 0 && typeof parsed.startedAt === 'string') {
      const owner: LockOwner = { pid: parsed.pid as number, startedAt: parsed.startedAt }
      if (typeof parsed.processStart === 'string') owner.processStart = parsed.processStart
      return owner
    }
  } catch {
    // Not JSON: treated as a damaged, stale lock below.
  }
  return { pid: 0, startedAt: '' }
}

function sameOwner(a: LockOwner | null, b: LockOwner | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.startedAt === b.startedAt && a.processStart === b.processStart
}

/**
 * Take the data folder's lock, or throw StudioError('storage', "another Sightline host is using
 * <dir> (pid N)"). The folder must exist.
 */
export function acquireDataDirLock(dataDir: string, options: LockOptions = {}): DataDirLock {
  const isRunning = options.isRunning ?? isProcessRunning
  const startOf = options.startOf ?? processStartOf
  const owner: LockOwner = { pid: options.pid ?? process.pid, startedAt: (options.now?.() ?? new Date()).toISOString() }
  const processStart = startOf(owner.pid)
  if (processStart !== null) owner.processStart = processStart
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
      if (
        !options.takeOver &&
        current.pid > 0 &&
        current.pid !== owner.pid &&
        ownerStillRuns(current, isRunning, startOf)
      ) {
        throw new StudioError(
          'storage',
          `another Sightline host is using ${dataDir} (pid ${current.pid}); if none is running, start with --take-over-lock`
        )
      }
      // Stale (dead pid, a reused pid, our own pid from an earlier life, or unreadable) or taken
      // over on request: move it out of the way
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
