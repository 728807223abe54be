// Reading an image file the user named, with the checks that need no decoder (so a batch worker
// reads files without loading one). Errors are StudioError('bad-image' | 'not-found',
// "<file name>: <what is wrong>").
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { MAX_REFERENCE_BYTES } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'

export function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`
}

export function badImage(fileName: string, what: string): StudioError {
  return new StudioError('bad-image', `${fileName}: ${what}`)
}

/**
 * Read a file the user named, refusing before reading it whole if it is too big. The error
 * names the file by its base name, as the user knows it.
 */
export async function readImageFile(path: string): Promise<{ fileName: string; bytes: Buffer }> {
  const fileName = basename(path)
  let handle
  try {
    // Non-blocking: opening a named pipe must not wait for a writer (it is refused below).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new StudioError('not-found', `${fileName}: no such file (${path})`)
    if (code === 'EISDIR') throw badImage(fileName, 'this is a folder, not an image file')
    throw badImage(fileName, `the file cannot be read (${code ?? (err as Error).message})`)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw badImage(fileName, 'this is not a regular file')
    if (info.size > MAX_REFERENCE_BYTES) {
      throw badImage(
        fileName,
        `the file is ${megabytes(info.size)}; references can be at most ${megabytes(MAX_REFERENCE_BYTES)}`
      )
    }
    const bytes = await handle.readFile()
    return { fileName, bytes }
  } catch (err) {
    if (err instanceof StudioError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EISDIR') throw badImage(fileName, 'this is a folder, not an image file')
    throw badImage(fileName, `the file cannot be read (${code ?? (err as Error).message})`)
  } finally {
    await handle.close()
  }
}
