import { z } from 'zod'
import type { AttemptsApi } from '#shared/contract/attempts.ts'
import type { AttemptService } from '../attempts/attempt-service.ts'
import type { AttemptExports } from '../attempts/exports.ts'
import type { StudioPresence } from '../presence.ts'
import { windowId as windowIdSchema } from './app.ts'
import { referenceId } from './references.ts'

const windowIdOf = windowIdSchema.optional()

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
  commitStroke: z.strictObject({ attemptId, activeMs, windowId: windowIdOf, stroke: strokeSchema }),
  undo: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  redo: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  clearDrawing: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  finishAttempt: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  attemptHeatmap: z.strictObject({ attemptId, view, scale }),
  exportAttempt: z.strictObject({ attemptId, view, scale })
}

/**
 * The attempts area: the live session and what is made of it (heatmap, export). Edits from a
 * window another one took the studio from are refused (presence.ts).
 */
export function attemptsApi({
  attempts,
  exports,
  presence
}: {
  attempts: AttemptService
  exports: AttemptExports
  presence: StudioPresence
}): AttemptsApi {
  return {
    startAttempt: ({ referenceId }) => attempts.start(referenceId),
    resumeAttempt: () => attempts.resume(),
    continueAttempt: ({ attemptId }) => attempts.continue(attemptId),
    commitStroke: async ({ attemptId, stroke, activeMs, windowId }) => {
      presence.check(windowId)
      return attempts.commitStroke(attemptId, stroke, activeMs)
    },
    undo: async ({ attemptId, activeMs, windowId }) => {
      presence.check(windowId)
      return attempts.undo(attemptId, activeMs)
    },
    redo: async ({ attemptId, activeMs, windowId }) => {
      presence.check(windowId)
      return attempts.redo(attemptId, activeMs)
    },
    clearDrawing: async ({ attemptId, activeMs, windowId }) => {
      presence.check(windowId)
      return attempts.clear(attemptId, activeMs)
    },
    finishAttempt: ({ attemptId, activeMs }) => attempts.finish(attemptId, activeMs),
    attemptHeatmap: ({ attemptId, view, scale }) => exports.heatmap(attemptId, { view, scale }),
    exportAttempt: ({ attemptId, view, scale }) => exports.exportAttempt(attemptId, { view, scale })
  }
}
