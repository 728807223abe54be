// What a report folder holds (subfolders included, hidden ones not): exported attempts (a session
// JSON, with its `-drawing.png` beside it when it was exported with one), combined images of the
// original tool (every other image), and assignment packs (which hold references the attempts
// may need). Anything else is left alone.
import { readdir } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'
import { StudioError } from '#shared/contract/errors.ts'
import { PACK_EXTENSION } from '#main/packs/pack-format.ts'

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.gif', '.avif', '.bmp'])
const EXPORT_PICTURES = ['-drawing.png', '-heatmap.png']

export interface FolderContents {
  /** Paths inside the folder, sorted. */
  combined: string[]
  attempts: { json: string; drawing: string | null }[]
  packs: string[]
}

export async function scanFolder(folder: string): Promise<FolderContents> {
  let entries
  try {
    entries = await readdir(folder, { withFileTypes: true, recursive: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new StudioError(
      'not-found',
      `${folder}: ${code === 'ENOENT' ? 'no such folder' : code === 'ENOTDIR' ? 'not a folder' : (err as Error).message}`
    )
  }
  const files = entries
    .filter((d) => d.isFile())
    .map((d) => relative(folder, join(d.parentPath, d.name)))
    .filter((file) => !file.split(sep).some((part) => part.startsWith('.')))
    .sort()
  const present = new Set(files)
  const lower = (f: string): string => f.toLowerCase()
  const packs = files.filter((f) => lower(f).endsWith(PACK_EXTENSION))
  const jsons = files.filter((f) => lower(f).endsWith('.json') && !lower(f).endsWith(PACK_EXTENSION))
  const bases = new Set(jsons.map((f) => f.slice(0, -'.json'.length)))
  const attempts = jsons.map((json) => {
    const drawing = `${json.slice(0, -'.json'.length)}-drawing.png`
    return { json, drawing: present.has(drawing) ? drawing : null }
  })
  const partOfExport = (f: string): boolean =>
    EXPORT_PICTURES.some((end) => lower(f).endsWith(end) && bases.has(f.slice(0, -end.length)))
  const combined = files.filter((f) => IMAGE_EXTENSIONS.has(lower(extname(f))) && !partOfExport(f))
  return { combined, attempts, packs }
}
