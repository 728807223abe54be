// Whether the data folder can be written at all, asked once at start-up. A read-only one (a
// locked-down machine, a full or read-only volume, another user's folder) does not stop the
// studio: it starts with the history off and says why, and drawing goes on.
import { mkdirSync } from 'node:fs'
import { probeWritable } from '../history/storage-errors.ts'

/** Null when `dir` (made if missing) takes a new file; else one sentence saying why it does not. */
export function dataFolderProblem(dir: string): string | null {
  let refused: NodeJS.ErrnoException | null
  try {
    mkdirSync(dir, { recursive: true })
    refused = probeWritable(dir)
  } catch (err) {
    refused = err as NodeJS.ErrnoException
  }
  if (!refused) return null
  const code = refused.code
  const why =
    code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
      ? 'is read-only or not writable by this user'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'is on a full disk'
        : `cannot be written (${refused.message})`
  return `the data folder ${dir} ${why}: the history is off for this run; drawing goes on`
}
