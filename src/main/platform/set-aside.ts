// A damaged file is never deleted or overwritten: it is renamed beside itself, with the time in
// its name, so the person (or support) can still look at it, and a fresh one takes its place.
import { rename } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'

/** Renames `path` to `<name>.corrupt-<time><ext>` in the same folder; answers the new path. */
export async function setAside(path: string, now: Date = new Date()): Promise<string> {
  const ext = extname(path)
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const aside = join(dirname(path), `${basename(path, ext)}.corrupt-${stamp}${ext}`)
  await rename(path, aside)
  return aside
}
