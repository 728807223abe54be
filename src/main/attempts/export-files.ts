// Delivering an export (rendered once, render/attempt-files.ts) the way each shell can: the desktop
// writes it into a folder the user chose, side by side under one base name and never over an
// existing file, and remembers the folder for next time; the host hands the files back for the
// browser to download.
import { mkdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ExportResult } from '#shared/contract/attempts.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { writeFileAtomic } from '../platform/atomic-file.ts'
import { readDataFile } from '../platform/data-files.ts'
import type { AttemptExport } from '../render/attempt-files.ts'

/** Hands a rendered export to the user. `render` runs only once the export is going somewhere. */
export type ExportDelivery = (render: () => Promise<AttemptExport>) => Promise<ExportResult>

/** The host: the browser saves the files (the host has no file system of the user's). */
export const downloadDelivery: ExportDelivery = async (render) => ({ kind: 'download', files: (await render()).files })

/**
 * The desktop: ask for a folder (starting at the last one), write the files into it, remember it.
 * `choose` answers null when the user cancels; nothing is rendered or written then.
 */
export function folderDelivery(
  dataDir: string,
  choose: (suggested: string | undefined) => Promise<string | null>
): ExportDelivery {
  return async (render) => {
    const folder = await choose(await lastExportFolder(dataDir))
    if (!folder) return { kind: 'cancelled' }
    const files = await saveExportInFolder(folder, await render())
    await rememberExportFolder(dataDir, folder).catch((err: Error) =>
      // The files are saved; only the suggestion for next time is lost.
      console.warn(`[sightline] ${err.message}`)
    )
    return { kind: 'saved', folder, files }
  }
}

/**
 * Write every file of the export into `folder` and return their paths. If any of the names is
 * taken, ` (2)`, ` (3)`, ... is added to the base name, so the files stay together and nothing
 * is replaced. Each file is written atomically and durably; a failure removes the ones written.
 */
export async function saveExportInFolder(folder: string, exported: AttemptExport): Promise<string[]> {
  const { baseName, files } = exported
  for (const f of files) {
    if (!f.name.startsWith(baseName) || basename(f.name) !== f.name)
      throw new Error(`export file "${f.name}" is not a bare name starting with "${baseName}"`)
  }
  try {
    await mkdir(folder, { recursive: true })
  } catch (err) {
    throw new StudioError('storage', `cannot create the export folder ${folder}: ${(err as Error).message}`)
  }
  for (let n = 1; n < 1000; n++) {
    const stem = n === 1 ? baseName : `${baseName} (${n})`
    const written: string[] = []
    try {
      for (const f of files) {
        const path = join(folder, stem + f.name.slice(baseName.length))
        await writeFileAtomic(path, f.bytes, { overwrite: false })
        written.push(path)
      }
      return written
    } catch (err) {
      await Promise.all(written.map((path) => rm(path, { force: true }).catch(() => undefined)))
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw new StudioError('storage', `cannot write the export into ${folder}: ${(err as Error).message}`)
    }
  }
  throw new StudioError('storage', `cannot find a free name for "${baseName}" in ${folder}`)
}

const PREFS_FILE = 'export.json'

/** The folder of the last export, if one was remembered (in `<dataDir>/export.json`). */
export async function lastExportFolder(dataDir: string): Promise<string | undefined> {
  try {
    // Not through a link: export.json is ours (a link there is replaced when written).
    const bytes = await readDataFile(dataDir, join(dataDir, PREFS_FILE))
    if (bytes === null) return undefined
    const value = JSON.parse(bytes.toString('utf8')) as { folder?: unknown }
    return typeof value.folder === 'string' && value.folder.length > 0 ? value.folder : undefined
  } catch {
    return undefined
  }
}

export async function rememberExportFolder(dataDir: string, folder: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true })
    await writeFileAtomic(join(dataDir, PREFS_FILE), JSON.stringify({ folder }, null, 2) + '\n')
  } catch (err) {
    throw new StudioError('storage', `cannot remember the export folder: ${(err as Error).message}`)
  }
}
