// The data folder is ours only: nothing in it that the app reads, serves or writes into may be a
// symbolic link (a sync tool, a restore or another program could have put one there, pointing
// anywhere), and a file served back must be what it claims to be. The data folder itself may be
// reached through a link (the person's choice of where it lives); below it, no link is followed:
// each folder on the way is looked at with lstat, and files are opened with O_NOFOLLOW where the
// system has it (and looked at with lstat where it does not). A link found is a `storage` error
// that names it; nothing is read through it, and nothing written.
import { constants, type Stats } from 'node:fs'
import { lstat, mkdir, open } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { StudioError } from '#shared/contract/errors.ts'

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0

function linkError(root: string, path: string): StudioError {
  return new StudioError(
    'storage',
    `${path} is a symbolic link; Sightline follows no links inside its data folder (${root}): move the real file or folder there instead`
  )
}

/** The parts of `path` below `root`; throws for a path that is not inside it. */
function partsBelow(root: string, path: string): string[] {
  const rel = relative(root, path)
  if (rel === '') return []
  if (isAbsolute(rel) || rel === '..' || rel.startsWith('..' + sep))
    throw new StudioError('storage', `${path} is not inside the data folder ${root}`)
  return rel.split(sep)
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/**
 * Checks every folder from `root` down to `path` (`path` itself too when `self`): false as soon as
 * one does not exist; throws a storage error at a link, or at something that is not a folder.
 */
async function foldersBelow(root: string, path: string, self: boolean): Promise<boolean> {
  const parts = partsBelow(root, path)
  let at = root
  for (let i = 0; i < (self ? parts.length : parts.length - 1); i++) {
    at = join(at, parts[i])
    const info = await lstatOrNull(at)
    if (!info) return false
    if (info.isSymbolicLink()) throw linkError(root, at)
    if (!info.isDirectory()) throw new StudioError('storage', `${at} should be a folder but is not`)
  }
  return true
}

/** The folder `path` inside `root`, made where missing, with no link on the way: for writing into it. */
export async function ensureDataFolder(root: string, path: string): Promise<void> {
  const parts = partsBelow(root, path)
  let at = root
  await mkdir(root, { recursive: true })
  for (const part of parts) {
    at = join(at, part)
    try {
      await mkdir(at)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const info = await lstat(at)
    if (info.isSymbolicLink()) throw linkError(root, at)
    if (!info.isDirectory()) throw new StudioError('storage', `${at} should be a folder but is not`)
  }
}

/** Throws a storage error if `path`, or a folder between `root` and it, is a link. (Absent is fine.) */
export async function assertNoLinks(root: string, path: string): Promise<void> {
  if (!(await foldersBelow(root, path, false))) return
  const info = await lstatOrNull(path)
  if (info?.isSymbolicLink()) throw linkError(root, path)
}

/**
 * The bytes of the regular file `path` inside `root`, read without following a link; null when
 * it is not there. Throws a storage error for a link, or anything but a regular file.
 */
export async function readDataFile(root: string, path: string): Promise<Buffer | null> {
  if (!(await foldersBelow(root, path, false))) return null
  if (NO_FOLLOW === 0) {
    // No O_NOFOLLOW here (Windows): look first.
    const info = await lstatOrNull(path)
    if (!info) return null
    if (info.isSymbolicLink()) throw linkError(root, path)
  }
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | NO_FOLLOW)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    // O_NOFOLLOW on a link: ELOOP (Linux), EMLINK (some BSDs).
    if (code === 'ELOOP' || code === 'EMLINK') throw linkError(root, path)
    throw err
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new StudioError('storage', `${path} should be a file but is not`)
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

export function isPngBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 24 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)
}

/**
 * readDataFile for a picture that is served back as a PNG: a file that is not one (a damaged
 * file, or anything else put in its place) is a storage error, never sent as if it were.
 */
export async function readDataPng(root: string, path: string): Promise<Uint8Array | null> {
  const bytes = await readDataFile(root, path)
  if (bytes === null) return null
  if (!isPngBytes(bytes)) throw new StudioError('storage', `${path} is not a PNG image (it is damaged or was replaced)`)
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
