// Files that are either the old version or the new one, never half of each: write a temp file
// in the same folder, fsync it, rename it over the target, fsync the folder so the rename
// itself survives a power cut. A crash at any point leaves at most a stray temp file, which
// removeStaleTempFiles clears on the next write.
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

const TEMP_SUFFIX = '.tmp'

export interface AtomicWriteOptions {
  /** Called after the temp file is durable and before the rename: crash tests stop here. */
  beforeRename?: (tempPath: string) => void | Promise<void>
}

export async function writeFileAtomic(
  path: string,
  bytes: Uint8Array,
  options: AtomicWriteOptions = {}
): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`)
  let renamed = false
  try {
    const file = await open(temp, 'wx')
    try {
      await file.writeFile(bytes)
      await file.sync()
    } finally {
      await file.close()
    }
    await options.beforeRename?.(temp)
    await rename(temp, path)
    renamed = true
    await syncFolder(dir)
  } catch (err) {
    if (!renamed) await unlink(temp).catch(() => undefined)
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

/** Remove temp files a crashed writeFileAtomic left in `dir`. */
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
