// The session as JSON, written beside the exported images: enough to see, replay or re-score
// the attempt elsewhere. Versioned: readers check `format` and `version` before anything else.
import { z } from 'zod'
import type { FrameSize, InkSettings } from '#shared/contract/api.ts'
import type { AttemptState } from '#shared/contract/attempts.ts'
import { isScored, type DrawingOp } from '#shared/edit-history/index.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { APP_NAME, APP_VERSION } from '../platform/app-meta.ts'
import { inkSettingsSchema } from '../references/ink-settings.ts'

export const SESSION_EXPORT_FORMAT = 'sightline-session'
export const SESSION_EXPORT_VERSION = 2

/**
 * Version 2 of the session export (version 1 had no `name`; it is read as name '').
 * - `name`: who drew it (the name in the settings; '' when none is given).
 * - `frame`: the evaluation frame; every coordinate below is in its pixels.
 * - `reference`: which reference (its id: `bundled:<name>` or `lib:<sha256 of the original file>`),
 *   its name, and the ink settings its ink was extracted with.
 * - `ops`: the drawing as it stood when exported: the edits before the history cursor, in order
 *   (pen and eraser strokes as points with pressure, tilt and time; clears). Undone edits are left
 *   out, and so are construction lines: the export is the scored drawing only.
 * - `evaluation`: the scores of that drawing (docs/scoring.md section 4), or `status: "empty"`.
 */
export interface SessionExportV2 {
  format: typeof SESSION_EXPORT_FORMAT
  version: typeof SESSION_EXPORT_VERSION
  exportedAt: string
  name: string
  app: { name: string; version: string }
  frame: FrameSize
  reference: { id: string; name: string; ink: InkSettings }
  attempt: { id: string; startedAt: string }
  ops: DrawingOp[]
  evaluation: Evaluation
}

export function buildSessionExport(input: {
  attempt: AttemptState
  reference: { id: string; name: string; ink: InkSettings }
  /** The person's name from the settings. */
  name?: string
  exportedAt?: Date
}): SessionExportV2 {
  const { attempt, reference } = input
  if (attempt.referenceId !== reference.id) {
    throw new Error(`the attempt is of reference ${attempt.referenceId}, not ${reference.id}`)
  }
  return {
    format: SESSION_EXPORT_FORMAT,
    version: SESSION_EXPORT_VERSION,
    exportedAt: (input.exportedAt ?? new Date()).toISOString(),
    name: input.name ?? '',
    app: { name: APP_NAME, version: APP_VERSION },
    frame: { width: attempt.frame.width, height: attempt.frame.height },
    reference: { id: reference.id, name: reference.name, ink: reference.ink },
    attempt: { id: attempt.attemptId, startedAt: attempt.startedAt },
    ops: attempt.ops.slice(0, attempt.cursor).filter(isScored),
    evaluation: attempt.evaluation
  }
}

const point = z.strictObject({
  x: z.number(),
  y: z.number(),
  pressure: z.number(),
  tiltX: z.number(),
  tiltY: z.number(),
  t: z.number()
})
const op = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('stroke'),
    stroke: z.strictObject({ tool: z.enum(['pen', 'eraser']), size: z.number().positive(), points: z.array(point) })
  }),
  z.strictObject({ kind: z.literal('clear') })
])
const stats = z.strictObject({ mean: z.number(), max: z.number() })
const evaluation = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('scored'),
    top5Error: z.number(),
    meanError: z.number(),
    topError: z.number(),
    referencePixels: z.int(),
    drawingPixels: z.int(),
    grid: z.array(z.array(z.number())),
    extraInk: stats,
    missedLines: stats,
    precision: z.number(),
    recall: z.number(),
    f1: z.number(),
    tolerancePx: z.int(),
    side: z.int(),
    worstCells: z.array(z.strictObject({ row: z.int(), col: z.int(), value: z.number() }))
  }),
  z.strictObject({
    status: z.literal('empty'),
    reason: z.literal('no drawing yet'),
    referencePixels: z.int(),
    drawingPixels: z.literal(0)
  })
])

export const sessionExportSchema: z.ZodType<SessionExportV2> = z.strictObject({
  format: z.literal(SESSION_EXPORT_FORMAT),
  version: z.literal(SESSION_EXPORT_VERSION),
  exportedAt: z.iso.datetime(),
  name: z.string().max(200),
  app: z.strictObject({ name: z.string(), version: z.string() }),
  frame: z.strictObject({ width: z.int().positive(), height: z.int().positive() }),
  reference: z.strictObject({ id: z.string(), name: z.string(), ink: inkSettingsSchema }),
  attempt: z.strictObject({ id: z.string(), startedAt: z.string() }),
  ops: z.array(op),
  evaluation
})

export function sessionExportJson(data: SessionExportV2): string {
  return JSON.stringify(data, null, 2) + '\n'
}

/** Read an export back, with a message that says what does not fit. */
export function parseSessionExport(text: string): SessionExportV2 {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new Error(`not a session export: ${(err as Error).message}`)
  }
  if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format === SESSION_EXPORT_FORMAT) {
    const version = (value as { version?: unknown }).version
    // Version 1 is version 2 without the name (some version 1 files carried it as `student`).
    if (version === 1) {
      const { student, ...rest } = value as { student?: unknown }
      value = { ...rest, version: SESSION_EXPORT_VERSION, name: typeof student === 'string' ? student : '' }
    } else if (version !== SESSION_EXPORT_VERSION)
      throw new Error(
        `a session export of version ${String(version)}; this app reads versions 1 and ${SESSION_EXPORT_VERSION}`
      )
  }
  const parsed = sessionExportSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(
      `not a session export: ${issue?.message ?? 'invalid'}${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}`
    )
  }
  return parsed.data
}
