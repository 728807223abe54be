// Whether the data folder can be written at all, asked once at start-up. A read-only one (a
// locked-down machine, a full or read-only volume, another user's folder) does not stop the
// studio: it starts with the history off and says why, and drawing goes on.
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'

/** Null when `dir` (made if missing) takes a new file; else one sentence saying why it does not. */
export function dataFolderProblem(dir: string): string | null {
  const probe = join(dir, `.sightline-write-probe-${randomBytes(6).toString('hex')}`)
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(probe, '')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why =
      code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? 'is read-only or not writable by this user'
        : code === 'ENOSPC' || code === 'EDQUOT'
          ? 'is on a full disk'
          : `cannot be written (${(err as Error).message})`
    return `the data folder ${dir} ${why}: the history is off for this run; drawing goes on`
  }
  try {
    unlinkSync(probe)
  } catch {
    // Written but not removable: writable enough.
  }
  return null
}
