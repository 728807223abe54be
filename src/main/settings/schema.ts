// What a valid settings value is, checked where settings cross a border: a patch from a window,
// and the settings file read back from disk (which may be damaged, hand-edited or from a newer
// version of the app).
import { z } from 'zod'
import {
  DEFAULT_SETTINGS,
  FEEDBACK_MODES,
  IDLE_PAUSE_CHOICES,
  MAX_NAME_LENGTH,
  MEMORY_SECONDS_CHOICES,
  TRAINING_LIMITS,
  type Settings,
  type SettingsPatch
} from '#shared/contract/settings.ts'
import { FRAME_LONGEST_SIDES } from '#shared/frame.ts'
import { PRESSURE_CURVES } from '#shared/stroke/pressure.ts'
import { TOOL_SIZES } from '#shared/stroke/tool-sizes.ts'
import type { Tool } from '#shared/stroke/types.ts'

const toolSize = (tool: Tool) =>
  z.number().refine((v) => TOOL_SIZES[tool].includes(v), `a ${tool} size is one of ${TOOL_SIZES[tool].join(', ')}`)

// A name is a line of text: no control characters (newlines, escapes) that would break a CSV row
// or a file name, trimmed, at most MAX_NAME_LENGTH characters.
const name = z
  .string()
  .trim()
  .max(MAX_NAME_LENGTH, `a name has at most ${MAX_NAME_LENGTH} characters`)
  .regex(/^\P{Cc}*$/u, 'a name is one line of text')

/** Every field of Settings; the mapped type makes a missing or mistyped field a compile error. */
const fields = {
  name,
  theme: z.enum(['system', 'light', 'dark']),
  toolSizes: z.strictObject({ pen: toolSize('pen'), eraser: toolSize('eraser') }),
  feedback: z.strictObject({
    mode: z.enum(['live', 'on-evaluate', 'memory']).refine((m) => FEEDBACK_MODES.includes(m)),
    memorySeconds: z
      .number()
      .refine(
        (v) => (MEMORY_SECONDS_CHOICES as readonly number[]).includes(v),
        `memory drawing shows the reference for ${MEMORY_SECONDS_CHOICES.join(', ')} seconds`
      ),
    strokeFeedback: z.boolean()
  }),
  frame: z.strictObject({
    longestSide: z.literal(FRAME_LONGEST_SIDES, {
      error: `the frame's longest side is one of ${FRAME_LONGEST_SIDES.join(', ')} pixels`
    })
  }),
  timer: z.strictObject({
    idlePauseSeconds: z
      .int()
      .refine(
        (v) => (IDLE_PAUSE_CHOICES as readonly number[]).includes(v),
        `the idle pause is one of ${IDLE_PAUSE_CHOICES.join(', ')} seconds (0: never)`
      )
  }),
  pen: z.strictObject({ pressureCurve: z.enum(PRESSURE_CURVES), barrelButton: z.enum(['eraser', 'nothing']) }),
  displayServer: z.enum(['auto', 'x11']),
  training: z.strictObject({
    dailyGoalMinutes: z.int().min(0).max(TRAINING_LIMITS.maxGoalMinutes),
    sessionTimeScale: z.number().min(TRAINING_LIMITS.minTimeScale).max(1)
  })
} satisfies { [K in keyof Settings]: z.ZodType<Settings[K]> }

type Field = (typeof fields)[keyof typeof fields]

/** A patch: any subset of fields, and of a group's fields; nothing else. */
export const settingsPatchSchema: z.ZodType<SettingsPatch> = z.strictObject(
  Object.fromEntries(
    Object.entries(fields).map(([key, schema]: [string, Field]) => [
      key,
      (schema instanceof z.ZodObject ? schema.partial() : schema).optional()
    ])
  )
) as unknown as z.ZodType<SettingsPatch>

/**
 * Settings as read from the file: each field that is missing or invalid falls back to its default
 * (field by field inside a group), so one bad value costs that value only. Unknown keys are kept
 * aside by the caller (a newer version's settings survive a round trip through this one).
 */
export const storedSettingsSchema: z.ZodType<Settings> = z.object(
  Object.fromEntries(
    Object.entries(fields).map(([key, schema]: [string, Field]) => {
      const fallback = DEFAULT_SETTINGS[key as keyof Settings]
      if (schema instanceof z.ZodObject) {
        const group = fallback as Record<string, unknown>
        const lenient = z.object(
          Object.fromEntries(Object.entries(schema.shape).map(([k, s]) => [k, (s as z.ZodType).catch(() => group[k])]))
        )
        return [key, lenient.catch(() => ({ ...group }))]
      }
      return [key, (schema as z.ZodType).catch(() => fallback)]
    })
  )
) as unknown as z.ZodType<Settings>

export const SETTINGS_KEYS = Object.keys(fields) as (keyof Settings)[]
