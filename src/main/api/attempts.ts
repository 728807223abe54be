import { z } from 'zod'
import type { AttemptsApi } from '#shared/contract/attempts.ts'
import { MAX_STROKE_POINTS, STROKE_BOUNDS } from '#shared/stroke/limits.ts'
import { snapStroke } from '#shared/stroke/snap.ts'
import type { AttemptService } from '../attempts/attempt-service.ts'
import type { AttemptExports } from '../attempts/exports.ts'
import { attemptOverlay } from '../attempts/overlays.ts'
import type { StudioPresence } from '../presence.ts'
import { windowId as windowIdSchema } from './app.ts'
import { referenceId } from './references.ts'

const windowIdOf = windowIdSchema.optional()

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
/** Absent: the scored drawing. Construction lines are pen strokes only. */
const layer = z.literal('construction').optional()

export const attemptsSchemas = {
  startAttempt: z.strictObject({ referenceId }),
  resumeAttempt: z.undefined(),
  continueAttempt: z.strictObject({ attemptId }),
  commitStroke: z
    .strictObject({ attemptId, activeMs, windowId: windowIdOf, stroke: strokeSchema, layer })
    .refine((a) => a.layer === undefined || a.stroke.tool === 'pen', {
      message: 'a construction line is drawn with the pen',
      path: ['stroke', 'tool']
    }),
  undo: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  redo: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  clearDrawing: z.strictObject({ attemptId, activeMs, windowId: windowIdOf, layer }),
  finishAttempt: z.strictObject({ attemptId, activeMs, windowId: windowIdOf }),
  evaluateAttempt: z.strictObject({ attemptId }),
  attemptHeatmap: z.strictObject({ attemptId, view, scale }),
  attemptOverlay: z.strictObject({
    attemptId,
    layer: z.enum(['heatmap', 'match', 'reference']),
    view,
    aligned: z.boolean(),
    scale
  }),
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
    commitStroke: async ({ attemptId, stroke, activeMs, windowId, layer }) => {
      presence.check(windowId)
      return attempts.commitStroke(attemptId, stroke, activeMs, layer)
    },
    undo: async ({ attemptId, activeMs, windowId }) => {
      presence.check(windowId)
      return attempts.undo(attemptId, activeMs)
    },
    redo: async ({ attemptId, activeMs, windowId }) => {
      presence.check(windowId)
      return attempts.redo(attemptId, activeMs)
    },
    clearDrawing: async ({ attemptId, activeMs, windowId, layer }) => {
      presence.check(windowId)
      return attempts.clear(attemptId, activeMs, layer)
    },
    finishAttempt: ({ attemptId, activeMs }) => attempts.finish(attemptId, activeMs),
    evaluateAttempt: ({ attemptId }) => attempts.evaluate(attemptId),
    attemptHeatmap: ({ attemptId, view, scale }) => exports.heatmap(attemptId, { view, scale }),
    attemptOverlay: ({ attemptId, ...options }) => attemptOverlay(attempts, attemptId, options),
    exportAttempt: ({ attemptId, view, scale }) => exports.exportAttempt(attemptId, { view, scale })
  }
}
