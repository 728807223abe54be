import { z } from 'zod'
import type { AttemptsApi } from '#shared/contract/attempts.ts'
import type { AttemptService } from '../attempts/attempt-service.ts'
import type { AttemptExports } from '../attempts/exports.ts'
import { referenceId } from './references.ts'

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

const activeMs = finite(0, 1000 * 3600 * 24 * 365).optional()

export const attemptsSchemas = {
  startAttempt: z.strictObject({ referenceId }),
  resumeAttempt: z.undefined(),
  continueAttempt: z.strictObject({ attemptId }),
  commitStroke: z.strictObject({ attemptId, activeMs, stroke: strokeSchema }),
  undo: z.strictObject({ attemptId, activeMs }),
  redo: z.strictObject({ attemptId, activeMs }),
  clearDrawing: z.strictObject({ attemptId, activeMs }),
  finishAttempt: z.strictObject({ attemptId, activeMs }),
  attemptHeatmap: z.strictObject({ attemptId, view, scale }),
  exportAttempt: z.strictObject({ attemptId, view, scale })
}

/** The attempts area: the live session and what is made of it (heatmap, export). */
export function attemptsApi({ attempts, exports }: { attempts: AttemptService; exports: AttemptExports }): AttemptsApi {
  return {
    startAttempt: ({ referenceId }) => attempts.start(referenceId),
    resumeAttempt: () => attempts.resume(),
    continueAttempt: ({ attemptId }) => attempts.continue(attemptId),
    commitStroke: ({ attemptId, stroke, activeMs }) => attempts.commitStroke(attemptId, stroke, activeMs),
    undo: ({ attemptId, activeMs }) => attempts.undo(attemptId, activeMs),
    redo: ({ attemptId, activeMs }) => attempts.redo(attemptId, activeMs),
    clearDrawing: ({ attemptId, activeMs }) => attempts.clear(attemptId, activeMs),
    finishAttempt: ({ attemptId, activeMs }) => attempts.finish(attemptId, activeMs),
    attemptHeatmap: ({ attemptId, view, scale }) => exports.heatmap(attemptId, { view, scale }),
    exportAttempt: ({ attemptId, view, scale }) => exports.exportAttempt(attemptId, { view, scale })
  }
}
