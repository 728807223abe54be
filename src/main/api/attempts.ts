import sharp from 'sharp'
import { z } from 'zod'
import type { FrameSize } from '#shared/contract/api.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import type { History } from '../history/history.ts'
import type { AttemptFiles } from '../history/store.ts'
import type { AttemptsApi } from '#shared/contract/attempts.ts'
import { EvaluatorSupervisor } from '../evaluator/process/supervisor.ts'
import { inProcessLauncher } from '../evaluator/process/in-process-launcher.ts'
import { AttemptService } from '../attempts/attempt-service.ts'
import { loadReferenceInk, referenceId, referenceService } from './references.ts'
import type { ExportResult, HeatmapView } from '#shared/contract/attempts.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { MAX_STROKE_POINTS, STROKE_BOUNDS } from '#shared/stroke/limits.ts'
import { snapStroke } from '#shared/stroke/snap.ts'
import { renderHeatmap, type RenderScale } from '../render/heatmap.ts'
import { renderDrawingPng } from '../render/drawing.ts'
import { buildSessionExport, sessionExportJson } from '../attempts/attempt-export.ts'
import { lastExportFolder, rememberExportFolder, safeBaseName, writeExportFiles } from '../attempts/export-files.ts'
import type { StudioContext } from './context.ts'

const attemptId = z.uuid('an attempt id is a UUID')
const finite = (min: number, max: number) => z.number().min(min).max(max)

const bounded = ([min, max]: readonly [number, number]) => finite(min, max)

/**
 * Strokes come from the renderer: bounded in every number and in size, never trusted; then
 * snapped to the point lattice (as the renderer already did: snapping twice changes nothing), so
 * what is scored and stored is exactly the stroke as the history keeps it.
 */
export const strokeSchema = z
  .strictObject({
    tool: z.enum(['pen', 'eraser']),
    size: bounded(STROKE_BOUNDS.size),
    points: z
      .array(
        z.strictObject({
          x: bounded(STROKE_BOUNDS.x),
          y: bounded(STROKE_BOUNDS.y),
          pressure: bounded(STROKE_BOUNDS.pressure),
          tiltX: bounded(STROKE_BOUNDS.tiltX),
          tiltY: bounded(STROKE_BOUNDS.tiltY),
          t: bounded(STROKE_BOUNDS.t)
        })
      )
      .min(1, 'a stroke has at least one point')
      // What a stroke costs grows with its points: the limit is measured (see limits.ts).
      .max(MAX_STROKE_POINTS, `a stroke has at most ${MAX_STROKE_POINTS.toLocaleString('en-US')} points`)
  })
  .transform(snapStroke)

const view = z.enum(['combined', 'drawing', 'reference'])
const scale = z.union([z.literal(1), z.literal(2)])

const activeMs = finite(0, 1000 * 3600 * 24 * 365).optional()

export const attemptsSchemas = {
  startAttempt: z.strictObject({ referenceId }),
  resumeAttempt: z.undefined(),
  commitStroke: z.strictObject({ attemptId, activeMs, stroke: strokeSchema }),
  undo: z.strictObject({ attemptId, activeMs }),
  redo: z.strictObject({ attemptId, activeMs }),
  clearDrawing: z.strictObject({ attemptId, activeMs }),
  finishAttempt: z.strictObject({ attemptId, activeMs }),
  attemptHeatmap: z.strictObject({ attemptId, view, scale }),
  exportAttempt: z.strictObject({ attemptId, view, scale })
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

async function exportAttempt(
  ctx: StudioContext,
  service: AttemptService,
  attemptId: string,
  view: HeatmapView,
  scale: RenderScale
): Promise<ExportResult> {
  const { state, ink, field } = await service.snapshot(attemptId)
  if (!field) throw new StudioError('invalid-input', 'there is nothing to export yet: draw something first')
  const reference = await (await referenceService(ctx)).summary(state.referenceId)
  const session = buildSessionExport({ attempt: state, reference: { id: reference.id, name: reference.name, ink } })
  const stamp = state.startedAt.slice(0, 16).replace('T', ' ').replace(':', '-')
  const baseName = safeBaseName(`${reference.name} ${stamp}`)
  const choose = ctx.options.chooseExportFolder
  if (choose) {
    const folder = await choose(await lastExportFolder(ctx.options.dataDir))
    if (!folder) return { kind: 'cancelled' }
    const files = await writeExportFiles({ folder, baseName, field, session, view, scale })
    await rememberExportFolder(ctx.options.dataDir, folder)
    return { kind: 'saved', folder, files: [files.heatmap, files.drawing, files.session] }
  }
  // The host has no file system of the user's: the browser saves the files.
  const heatmap = await renderHeatmap(field, { view, scale })
  const drawing = await renderDrawingPng(state.frame, { pixels: field.drawingPixels }, scale)
  return {
    kind: 'download',
    files: [
      { name: `${baseName}-heatmap.png`, mime: 'image/png', bytes: bytes(heatmap.png) },
      { name: `${baseName}-drawing.png`, mime: 'image/png', bytes: bytes(drawing) },
      {
        name: `${baseName}.json`,
        mime: 'application/json',
        bytes: new TextEncoder().encode(sessionExportJson(session))
      }
    ]
  }
}

/** The images kept with a finished attempt: the drawing, its combined heatmap and a thumbnail. */
async function attemptFiles(field: ErrorField | null, frame: FrameSize): Promise<AttemptFiles> {
  const drawing = await renderDrawingPng(frame, { pixels: field?.drawingPixels ?? [] }, 1)
  const thumb = await sharp(drawing)
    .resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', kernel: 'linear' })
    .png()
    .toBuffer()
  const files: AttemptFiles = { drawingPng: bytes(drawing), thumbPng: bytes(thumb) }
  if (field) files.heatmapPng = bytes((await renderHeatmap(field, { view: 'combined', scale: 1 })).png)
  return files
}

const THUMB_SIDE = 160

export function attemptsApi(ctx: StudioContext, history?: History): { api: AttemptsApi; service: AttemptService } {
  const evaluator = new EvaluatorSupervisor(ctx.options.launchEvaluator ?? inProcessLauncher())
  const service = new AttemptService({
    frame: ctx.frame,
    evaluator,
    history,
    loadInk: (id) => loadReferenceInk(ctx, id),
    describe: async (id) => {
      const r = await (await referenceService(ctx)).summary(id)
      return { id: r.id, name: r.name, source: r.source, width: r.width, height: r.height }
    },
    renderFiles: attemptFiles
  })
  return {
    service,
    api: {
      startAttempt: ({ referenceId }) => service.start(referenceId),
      resumeAttempt: () => service.resume(),
      commitStroke: ({ attemptId, stroke, activeMs }) => service.commitStroke(attemptId, stroke, activeMs),
      undo: ({ attemptId, activeMs }) => service.undo(attemptId, activeMs),
      redo: ({ attemptId, activeMs }) => service.redo(attemptId, activeMs),
      clearDrawing: ({ attemptId, activeMs }) => service.clear(attemptId, activeMs),
      finishAttempt: ({ attemptId, activeMs }) => service.finish(attemptId, activeMs),
      attemptHeatmap: async ({ attemptId, view, scale }) => {
        const field = await service.errorField(attemptId)
        if (!field) return null
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
      },
      exportAttempt: async ({ attemptId, view, scale }) => exportAttempt(ctx, service, attemptId, view, scale)
    }
  }
}
