// What a valid session plan is, wherever one comes in: from a window, out of an assignment pack,
// or back from the history.
import { z } from 'zod'
import { SESSION_LIMITS, type SessionPlan } from '#shared/contract/sessions.ts'

const L = SESSION_LIMITS

export const seconds = z.int().min(L.minSeconds).max(L.maxSeconds)

/** One line of text of at most `max` characters, no control characters. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'has control characters')

/** A reference id as the API takes one (which exist is the reference service's answer). */
export const referenceIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9:_-]+$/, 'a reference id is lower-case letters, digits, ":", "_" or "-"')

/** The plan without its references (what a pack carries beside its items). */
export const planSchema = z.strictObject({
  title: text(L.maxTitle),
  mode: z.enum(['copy', 'memory']),
  studySeconds: z.int().min(L.minStudySeconds).max(L.maxStudySeconds),
  order: z.enum(['listed', 'random']),
  count: z.int().min(1).max(L.maxCount),
  seconds: z.array(seconds).min(1).max(L.maxSchedule)
})

export const sessionPlanSchema: z.ZodType<SessionPlan> = planSchema.extend({
  items: z
    .array(z.strictObject({ referenceId: referenceIdSchema, seconds: seconds.optional() }))
    .min(1)
    .max(L.maxItems)
})
