// The one way the app writes a file: either the old version or the new one is there, never half
// of each, and once the call returns the new one survives a power cut. Write a temp file in the
// same folder, fsync it, put it in place (rename over the target, or hard-link it where nothing
// may be replaced), fsync the folder so that step itself is durable. A crash at any point leaves
// at most a stray temp file (hidden, `.<name>.<hex>.tmp`), which removeStaleTempFiles clears.
import { randomBytes } from 'node:crypto'
import { link, open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

const TEMP_SUFFIX = '.tmp'

export interface AtomicWriteOptions {
  /**
   * false: never replace a file that is there (a user's folder); the call then fails with
   * EEXIST and writes nothing. Default true: the new file replaces the old one.
   */
  overwrite?: boolean
  /** Called after the temp file is durable and before it is put in place: crash tests stop here. */
  beforeRename?: (tempPath: string) => void | Promise<void>
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {}
): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`)
  let placed = false
  try {
    const file = await open(temp, 'wx')
    try {
      await file.writeFile(data)
      await file.sync()
    } finally {
      await file.close()
    }
    await options.beforeRename?.(temp)
    if (options.overwrite === false) {
      // link() refuses an existing target, unlike rename(): nothing there is replaced.
      await link(temp, path)
      placed = true
      // The file is in place; a temp name left behind (this unlink failing) is only clutter.
      await unlink(temp).catch(() => undefined)
    } else {
      await rename(temp, path)
      placed = true
    }
    await syncFolder(dir)
  } catch (err) {
    if (!placed) await unlink(temp).catch(() => undefined)
    throw err
  }
}

/** fsync a folder so a rename in it is durable. Windows cannot open folders for this; it is skipped there. */
export async function syncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } catch (err) {
    // Some file systems do not support fsync on a directory; the rename is still atomic.
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR') throw err
  } finally {
    await handle.close()
  }
}

/**
 * Remove temp files a crashed writeFileAtomic left in `dir`. Only for folders the app owns, and
 * only where no write into `dir` can be under way (the caller's writes are serialised).
 */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  await Promise.all(
    names
      .filter((n) => n.startsWith('.') && n.endsWith(TEMP_SUFFIX))
      .map((n) => unlink(join(dir, n)).catch(() => undefined))
  )
}
