// What the history reads back is checked, never trusted: a damaged or hand-edited database must
// show up as a storage problem that names the attempt, never as NaN on a chart or an internal
// error. This module holds the shapes of the stored JSON and the per-edit score.
import { z } from 'zod'
import type { EditScore } from '#shared/contract/history.ts'
import type { InkSettings } from '#shared/contract/references.ts'
import type { EmptyEvaluation, Evaluation } from '#shared/contract/scores.ts'
import { inkSettingsSchema } from '../references/ink-settings.ts'

// z.number() refuses NaN and the infinities.
const amount = z.number().min(0)
const count = z.int().min(0)
const share = z.number().min(0).max(1)
const cell = z.object({ row: z.int().min(0), col: z.int().min(0), value: amount })
const direction = z.object({ mean: amount, max: amount })

const emptyShape = z.object({
  status: z.literal('empty'),
  reason: z.literal('no drawing yet'),
  referencePixels: count,
  drawingPixels: z.literal(0)
})

const headlineShape = {
  status: z.literal('scored'),
  top5Error: amount,
  meanError: amount,
  topError: amount,
  referencePixels: count,
  drawingPixels: count,
  precision: share,
  recall: share,
  f1: share
}

/** A full evaluation as stored with a finished attempt (unknown keys are dropped). */
const evaluationSchema = z.discriminatedUnion('status', [
  z.object({
    ...headlineShape,
    grid: z.array(z.array(amount)),
    extraInk: direction,
    missedLines: direction,
    tolerancePx: count,
    side: z.int().min(1),
    worstCells: z.array(cell)
  }),
  emptyShape
])

/** The figures kept per edit; reading an older row that holds a full evaluation keeps just these. */
const editScoreSchema = z.discriminatedUnion('status', [z.object(headlineShape), emptyShape])

/** The headline figures of an evaluation: what the journal keeps for each edit. */
export function editScoreOf(evaluation: Evaluation): EditScore {
  if (evaluation.status === 'empty') {
    const { status, reason, referencePixels, drawingPixels }: EmptyEvaluation = evaluation
    return { status, reason, referencePixels, drawingPixels }
  }
  const { status, top5Error, meanError, topError, referencePixels, drawingPixels, precision, recall, f1 } = evaluation
  return { status, top5Error, meanError, topError, referencePixels, drawingPixels, precision, recall, f1 }
}

/** Parse stored JSON against a shape; throws RangeError saying what is wrong (the caller names the row). */
function parse<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new RangeError(`its ${what} is not JSON`)
  }
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new RangeError(`its ${what} is damaged (${issue?.message ?? 'wrong shape'}${where})`)
  }
  return result.data
}

export const readEvaluation = (text: string): Evaluation => parse(evaluationSchema, text, 'evaluation')
export const readEditScore = (text: string): EditScore => parse(editScoreSchema, text, 'score')
export const readInkSettings = (text: string): InkSettings => parse(inkSettingsSchema, text, 'ink settings')

/** A stored number that must be a finite, non-negative figure (or null where allowed). */
export function checkFigure(value: unknown, what: string, nullable = false): void {
  if (value === null && nullable) return
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError(`its ${what} is ${String(value)}, not a figure`)
}
