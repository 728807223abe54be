// Every picture and file made of an attempt, rendered here and nowhere else: the heatmap the
// studio shows, the export (heatmap, drawing alone, session JSON) that each shell then delivers
// its own way, and the images the history keeps with a finished attempt. Pure rendering: no
// file is written here.
import sharp from 'sharp'
import type { FrameSize } from '#shared/contract/app.ts'
import type { AttemptState, HeatmapPicture } from '#shared/contract/attempts.ts'
import type { NamedFile } from '#shared/contract/files.ts'
import type { InkSettings } from '#shared/contract/references.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import type { AttemptFiles } from '../history/store.ts'
import { buildSessionExport, sessionExportJson } from '../attempts/attempt-export.ts'
import { renderDrawingPng } from './drawing.ts'
import { renderHeatmap, type HeatmapView, type RenderScale } from './heatmap.ts'

export interface PictureOptions {
  view: HeatmapView
  scale: RenderScale
}

/** An attempt as it stands, taken in one step so the field matches the history. */
export interface AttemptSnapshot {
  state: AttemptState
  /** The ink settings the reference is scored with. */
  ink: InkSettings
  /** Null while the drawing is empty. */
  field: ErrorField | null
}

/** The files of one export; every name is `baseName` followed by its own ending. */
export interface AttemptExport {
  baseName: string
  files: NamedFile[]
}

export const THUMB_SIDE = 160

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

/** A base name safe on every platform: no folders, no reserved characters. */
export function safeBaseName(name: string): string {
  const cleaned = name
    .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '-')
    .replace(/^[. ]+|[. ]+$/g, '')
    .slice(0, 100)
  return cleaned.length > 0 ? cleaned : 'sightline'
}

interface Pictures<H extends Buffer | null = Buffer | null> {
  heatmap: H
  drawing: Buffer
}

/** The two pictures of a drawing: its heatmap (none while it is empty) and the drawing alone. */
function renderPictures(frame: FrameSize, field: ErrorField, options: PictureOptions): Promise<Pictures<Buffer>>
function renderPictures(frame: FrameSize, field: ErrorField | null, options: PictureOptions): Promise<Pictures>
async function renderPictures(
  frame: FrameSize,
  field: ErrorField | null,
  { view, scale }: PictureOptions
): Promise<Pictures> {
  const [heatmap, drawing] = await Promise.all([
    field ? renderHeatmap(field, { view, scale }).then((h) => h.png) : null,
    renderDrawingPng(frame, { pixels: field?.drawingPixels ?? [] }, scale)
  ])
  return { heatmap, drawing }
}

/** The heatmap as the studio shows it, with where the frame sits and the top of its scale. */
export async function renderHeatmapPicture(
  field: ErrorField,
  { view, scale }: PictureOptions
): Promise<HeatmapPicture> {
  const image = await renderHeatmap(field, { view, scale })
  return {
    view,
    scale,
    png: bytes(image.png),
    width: image.width,
    height: image.height,
    frame: image.frame,
    maxPercent: image.maxPercent
  }
}

/** What an export is made of: a snapshot with a drawing, and the reference it copies. */
export interface ExportSource extends AttemptSnapshot {
  field: ErrorField
  reference: { id: string; name: string }
  exportedAt?: Date
  /** Who drew it (the profile's name in the settings), for a teacher's class report. */
  student?: string
}

/**
 * The export of an attempt: `<base>-heatmap.png` (the chosen view at 1x or 2x), `<base>-drawing.png`
 * (black on white, same scale) and `<base>.json` (the session, attempt-export.ts), where the base is
 * the reference's name and the attempt's start.
 */
export async function renderAttemptExport(attempt: ExportSource, options: PictureOptions): Promise<AttemptExport> {
  const { state, field } = attempt
  const session = buildSessionExport({
    attempt: state,
    reference: { id: attempt.reference.id, name: attempt.reference.name, ink: attempt.ink },
    exportedAt: attempt.exportedAt,
    student: attempt.student
  })
  const stamp = state.startedAt.slice(0, 16).replace('T', ' ').replace(':', '-')
  const baseName = safeBaseName(`${attempt.reference.name} ${stamp}`)
  const { heatmap, drawing } = await renderPictures(state.frame, field, options)
  return {
    baseName,
    files: [
      { name: `${baseName}-heatmap.png`, mime: 'image/png', bytes: bytes(heatmap) },
      { name: `${baseName}-drawing.png`, mime: 'image/png', bytes: bytes(drawing) },
      {
        name: `${baseName}.json`,
        mime: 'application/json',
        bytes: new TextEncoder().encode(sessionExportJson(session))
      }
    ]
  }
}

/** The images kept with a finished attempt: the drawing, its combined heatmap (if any) and a thumbnail, at 1x. */
export async function renderKeptImages(field: ErrorField | null, frame: FrameSize): Promise<AttemptFiles> {
  const { heatmap, drawing } = await renderPictures(frame, field, { view: 'combined', scale: 1 })
  const thumb = await sharp(drawing)
    .resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', kernel: 'linear' })
    .png()
    .toBuffer()
  const files: AttemptFiles = { drawingPng: bytes(drawing), thumbPng: bytes(thumb) }
  if (heatmap) files.heatmapPng = bytes(heatmap)
  return files
}
