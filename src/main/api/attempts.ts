import { z } from 'zod'
import type { AttemptsApi } from '../../shared/contract/attempts.ts'
import { EvaluatorSupervisor } from '../evaluator/supervisor.ts'
import { inProcessLauncher } from '../evaluator/in-process-launcher.ts'
import { AttemptService } from '../studio/attempt-service.ts'
import { loadReferenceInk, referenceId, referenceService } from './references.ts'
import type { ExportResult, HeatmapView } from '../../shared/contract/attempts.ts'
import { StudioError } from '../../shared/errors.ts'
import { renderHeatmap, type RenderScale } from '../render/heatmap.ts'
import { renderDrawingPng } from '../render/drawing.ts'
import { buildSessionExport, sessionExportJson } from '../render/session-export.ts'
import { lastExportFolder, rememberExportFolder, safeBaseName, writeExportFiles } from '../render/export-files.ts'
import type { StudioContext } from './context.ts'

const attemptId = z.uuid('an attempt id is a UUID')
const finite = (min: number, max: number) => z.number().min(min).max(max)

/** Strokes come from the renderer: bounded in every number and in size, never trusted. */
export const strokeSchema = z.strictObject({
  tool: z.enum(['pen', 'eraser']),
  size: finite(0.25, 400),
  points: z
    .array(
      z.strictObject({
        x: finite(-20_000, 20_000),
        y: finite(-20_000, 20_000),
        pressure: finite(0, 1),
        tiltX: finite(-90, 90),
        tiltY: finite(-90, 90),
        t: finite(0, 24 * 3600 * 1000)
      })
    )
    .min(1, 'a stroke has at least one point')
    .max(20_000, 'a stroke has at most 20,000 points')
})

const view = z.enum(['combined', 'drawing', 'reference'])
const scale = z.union([z.literal(1), z.literal(2)])

export const attemptsSchemas = {
  startAttempt: z.strictObject({ referenceId }),
  commitStroke: z.strictObject({ attemptId, stroke: strokeSchema }),
  undo: z.strictObject({ attemptId }),
  redo: z.strictObject({ attemptId }),
  clearDrawing: z.strictObject({ attemptId }),
  attemptHeatmap: z.strictObject({ attemptId, view, scale }),
  exportAttempt: z.strictObject({ attemptId, view, scale })
}

const bytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

async function exportAttempt(ctx: StudioContext, service: AttemptService, attemptId: string, view: HeatmapView, scale: RenderScale): Promise<ExportResult> {
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
      { name: `${baseName}.json`, mime: 'application/json', bytes: new TextEncoder().encode(sessionExportJson(session)) }
    ]
  }
}

export function attemptsApi(ctx: StudioContext): { api: AttemptsApi; service: AttemptService } {
  const evaluator = new EvaluatorSupervisor(ctx.options.launchEvaluator ?? inProcessLauncher())
  const service = new AttemptService({ frame: ctx.frame, evaluator, loadInk: (id) => loadReferenceInk(ctx, id) })
  return {
    service,
    api: {
      startAttempt: ({ referenceId }) => service.start(referenceId),
      commitStroke: ({ attemptId, stroke }) => service.commitStroke(attemptId, stroke),
      undo: ({ attemptId }) => service.undo(attemptId),
      redo: ({ attemptId }) => service.redo(attemptId),
      clearDrawing: ({ attemptId }) => service.clear(attemptId),
      attemptHeatmap: async ({ attemptId, view, scale }) => {
        const field = await service.errorField(attemptId)
        if (!field) return null
        const image = await renderHeatmap(field, { view, scale })
        return { view, scale, png: bytes(image.png), width: image.width, height: image.height, frame: image.frame, maxPercent: image.maxPercent }
      },
      exportAttempt: async ({ attemptId, view, scale }) => exportAttempt(ctx, service, attemptId, view, scale)
    }
  }
}
