import { z } from 'zod'
import type { AttemptsApi } from '../../shared/contract/attempts.ts'
import { EvaluatorSupervisor } from '../evaluator/supervisor.ts'
import { inProcessLauncher } from '../evaluator/in-process-launcher.ts'
import { AttemptService } from '../studio/attempt-service.ts'
import { loadReferenceInk, referenceId } from './references.ts'
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

export const attemptsSchemas = {
  startAttempt: z.strictObject({ referenceId }),
  commitStroke: z.strictObject({ attemptId, stroke: strokeSchema }),
  undo: z.strictObject({ attemptId }),
  redo: z.strictObject({ attemptId }),
  clearDrawing: z.strictObject({ attemptId })
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
      clearDrawing: ({ attemptId }) => service.clear(attemptId)
    }
  }
}
