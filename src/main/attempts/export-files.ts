// Writing an export to a folder the user chose: the heatmap, the drawing alone and the session
// JSON side by side under one base name, never over an existing file. And the folder itself,
// remembered for the next export.
import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StudioError } from '#shared/contract/errors.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import { renderDrawingPng } from '../render/drawing.ts'
import { renderHeatmap, type HeatmapView, type RenderScale } from '../render/heatmap.ts'
import { sessionExportJson, type SessionExportV1 } from './attempt-export.ts'

export interface ExportedFiles {
  heatmap: string
  drawing: string
  session: string
}

/** A base name safe on every platform: no folders, no reserved characters. */
export function safeBaseName(name: string): string {
  const cleaned = name
    .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '-')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 100)
  return cleaned.length > 0 ? cleaned : 'sightline'
}

/** Create `path` with `data`, failing (EEXIST) rather than replacing a file that is there. */
async function createNew(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  await writeFile(tmp, data)
  try {
    // link() refuses an existing target, unlike rename(): nothing of the user's is overwritten.
    await link(tmp, path)
  } finally {
    await rm(tmp, { force: true })
  }
}

/**
 * Write `<base>-heatmap.png` (the chosen view at 1x or 2x), `<base>-drawing.png` (black on
 * white, same scale) and `<base>.json` into `folder`. If any of the names is taken, ` (2)`,
 * ` (3)`, ... is added to the base name, so all three stay together and nothing is replaced.
 */
export async function writeExportFiles(options: {
  folder: string
  baseName: string
  field: ErrorField
  session: SessionExportV1
  view?: HeatmapView
  scale?: RenderScale
}): Promise<ExportedFiles> {
  const { folder, field, session } = options
  const scale = options.scale ?? 1
  const heatmap = await renderHeatmap(field, { view: options.view ?? 'combined', scale })
  const drawing = await renderDrawingPng(
    { width: field.width, height: field.height },
    { pixels: field.drawingPixels },
    scale
  )
  const json = sessionExportJson(session)
  const base = safeBaseName(options.baseName)
  try {
    await mkdir(folder, { recursive: true })
  } catch (err) {
    throw new StudioError('storage', `cannot create the export folder ${folder}: ${(err as Error).message}`)
  }
  for (let n = 1; n < 1000; n++) {
    const stem = n === 1 ? base : `${base} (${n})`
    const files: ExportedFiles = {
      heatmap: join(folder, `${stem}-heatmap.png`),
      drawing: join(folder, `${stem}-drawing.png`),
      session: join(folder, `${stem}.json`)
    }
    const written: string[] = []
    try {
      await createNew(files.heatmap, heatmap.png)
      written.push(files.heatmap)
      await createNew(files.drawing, drawing)
      written.push(files.drawing)
      await createNew(files.session, json)
      return files
    } catch (err) {
      await Promise.all(written.map((f) => rm(f, { force: true })))
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw new StudioError('storage', `cannot write the export into ${folder}: ${(err as Error).message}`)
    }
  }
  throw new StudioError('storage', `cannot find a free name for "${base}" in ${folder}`)
}

const PREFS_FILE = 'export.json'

/** The folder of the last export, if one was remembered (in `<dataDir>/export.json`). */
export async function lastExportFolder(dataDir: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dataDir, PREFS_FILE), 'utf8')) as { folder?: unknown }
    return typeof value.folder === 'string' && value.folder.length > 0 ? value.folder : undefined
  } catch {
    return undefined
  }
}

export async function rememberExportFolder(dataDir: string, folder: string): Promise<void> {
  const path = join(dataDir, PREFS_FILE)
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await mkdir(dataDir, { recursive: true })
    await writeFile(tmp, JSON.stringify({ folder }, null, 2) + '\n')
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw new StudioError('storage', `cannot remember the export folder: ${(err as Error).message}`)
  }
}
