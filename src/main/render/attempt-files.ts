// Every picture and file made of an attempt, rendered here and nowhere else: the heatmap the
// studio shows, the export (heatmap, drawing alone, session JSON) that each shell then delivers
// its own way, and the images the history keeps with a finished attempt. Pure rendering: no
// file is written here.
import sharp from 'sharp'
import type { FrameSize } from '#shared/contract/app.ts'
import type { AttemptState, HeatmapPicture } from '#shared/contract/attempts.ts'
import type { NamedFile } from '#shared/contract/files.ts'
import type { InkSettings } from '#shared/contract/references.ts'
import { opsToPaint } from '#shared/edit-history/index.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import type { AttemptFiles } from '../history/store.ts'
import { buildSessionExport, sessionExportJson } from '../attempts/attempt-export.ts'
import { APP_NAME, APP_VERSION } from '../platform/app-meta.ts'
import { renderDrawingPng } from './drawing.ts'
import { renderHeatmap, type HeatmapView, type RenderScale } from './heatmap.ts'
import { renderSheetPng } from './sheet.ts'
import { sheetPdf } from './sheet-pdf.ts'

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
  /** The reference fitted into the attempt's frame (or a whole multiple of it), for the sheet. */
  referencePng: Uint8Array
  /** Who drew it (the settings' name); '' when none is given. */
  personName: string
  exportedAt?: Date
  /** How the sheet writes the attempt's date; the system's locale and time zone by default. */
  formatDate?: (date: Date) => string
}

/** The date on the sheet, as people read it: "27 November 2026 at 10:05" in the system's language. */
export function sheetDate(date: Date, locale?: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date)
}

/** "m:ss" or "h:mm:ss". */
function duration(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000)
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60]
  const two = (n: number): string => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`
}

/** The drawing's strokes on the canvas at the cursor, as the status bar counts them (construction lines not counted). */
export function strokesShown(state: Pick<AttemptState, 'ops' | 'cursor'>): number {
  return opsToPaint({ ops: state.ops, cursor: state.cursor }).filter((op) => op.kind === 'stroke').length
}

/**
 * The export of an attempt: `<base>-sheet.pdf` and `<base>-sheet.png` (one printable page:
 * reference, drawing, heatmap, figures, name and date), `<base>-heatmap.png` (the chosen view at
 * 1x or 2x), `<base>-drawing.png` (black on white, same scale) and `<base>.json` (the session,
 * attempt-export.ts), where the base is the reference's name and the attempt's start.
 */
export async function renderAttemptExport(attempt: ExportSource, options: PictureOptions): Promise<AttemptExport> {
  const { state, field } = attempt
  const session = buildSessionExport({
    attempt: state,
    reference: { id: attempt.reference.id, name: attempt.reference.name, ink: attempt.ink },
    name: attempt.personName,
    exportedAt: attempt.exportedAt
  })
  const stamp = state.startedAt.slice(0, 16).replace('T', ' ').replace(':', '-')
  const baseName = safeBaseName(`${attempt.reference.name} ${stamp}`)
  const [{ heatmap, drawing }, sheetPictures] = await Promise.all([
    renderPictures(state.frame, field, options),
    // The sheet's own pictures at 2x: it is printed at 200 dpi, larger than the frame.
    Promise.all([
      renderHeatmap(field, { view: 'combined', scale: 2 }),
      renderDrawingPng(state.frame, { pixels: field.drawingPixels }, 2)
    ])
  ])
  const [sheetHeatmap, sheetDrawing] = sheetPictures
  const startedAt = new Date(state.startedAt)
  const sheetPng = await renderSheetPng({
    referenceName: attempt.reference.name,
    personName: attempt.personName,
    when: (attempt.formatDate ?? sheetDate)(startedAt),
    time: duration(state.activeMs),
    strokes: strokesShown(state),
    frame: state.frame,
    evaluation: field.evaluation,
    referencePng: attempt.referencePng,
    drawingPng: bytes(sheetDrawing),
    heatmapPng: bytes(
      await sharp(sheetHeatmap.png)
        .extract({ left: 0, top: 0, width: sheetHeatmap.frame.width, height: sheetHeatmap.frame.height })
        .png()
        .toBuffer()
    ),
    maxPercent: sheetHeatmap.maxPercent,
    app: APP_NAME
  })
  const pdf = await sheetPdf(bytes(sheetPng), {
    title: `${attempt.reference.name}: drawing of ${startedAt.toISOString().slice(0, 10)}`,
    author: attempt.personName,
    subject: `Top-5 error ${field.evaluation.top5Error.toFixed(1)} % (Sightline Studio)`,
    date: startedAt,
    producer: `${APP_NAME} ${APP_VERSION}`
  })
  return {
    baseName,
    files: [
      { name: `${baseName}-sheet.pdf`, mime: 'application/pdf', bytes: pdf },
      { name: `${baseName}-sheet.png`, mime: 'image/png', bytes: bytes(sheetPng) },
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
