import { z } from 'zod'
import type { TrainingApi } from '#shared/contract/training.ts'
import { DRILL_KINDS } from '#shared/drills/ids.ts'
import type { TrainingService } from '../training/training-service.ts'
import { referenceIdSchema, sessionPlanSchema } from '../training/plan-schema.ts'
import { MAX_UPLOAD_BYTES } from './references.ts'

const sessionId = z.string().min(1).max(64)
const attemptId = z.string().min(1).max(64)

export const trainingSchemas = {
  startSession: z.strictObject({ plan: sessionPlanSchema, seed: z.int().min(0).max(0xffffffff).optional() }),
  recordSessionDrawing: z.strictObject({ sessionId, position: z.int().min(0).max(10_000), attemptId }),
  finishSession: z.strictObject({ sessionId }),
  getSession: z.strictObject({ sessionId }),
  listSessions: z.undefined(),
  newDrill: z.strictObject({ kind: z.enum([...DRILL_KINDS, 'adaptive']) }),
  drillInfo: z.strictObject({ referenceId: referenceIdSchema }),
  drillFigures: z.strictObject({ attemptId }),
  practiceSummary: z.strictObject({
    utcOffsetMinutes: z
      .int()
      .min(-14 * 60)
      .max(14 * 60),
    days: z.int().min(1).max(366).optional()
  }),
  exportPack: z.strictObject({ plan: sessionPlanSchema }),
  importPack: z.union([
    z.strictObject({ path: z.string().min(1).max(4096) }),
    z.strictObject({
      fileName: z.string().min(1).max(1024),
      bytes: z
        .instanceof(Uint8Array)
        .refine((b) => b.length <= MAX_UPLOAD_BYTES, 'the upload is larger than the host accepts')
    })
  ])
}

/** The training area: delegation to the one training service. */
export function trainingApi({ training }: { training: TrainingService }): TrainingApi {
  return {
    startSession: ({ plan, seed }) => training.startSession(plan, seed),
    recordSessionDrawing: async ({ sessionId, position, attemptId }) =>
      training.recordSessionDrawing(sessionId, position, attemptId),
    finishSession: async ({ sessionId }) => training.finishSession(sessionId),
    getSession: async ({ sessionId }) => training.getSession(sessionId),
    listSessions: async () => training.listSessions(),
    newDrill: async ({ kind }) => training.newDrill(kind),
    drillInfo: async ({ referenceId }) => training.drillInfo(referenceId),
    drillFigures: ({ attemptId }) => training.drillFigures(attemptId),
    practiceSummary: async ({ utcOffsetMinutes, days }) => training.practiceSummary(utcOffsetMinutes, days),
    exportPack: ({ plan }) => training.exportPack(plan),
    importPack: (upload) => training.importPack(upload)
  }
}
