// Pixel session logs (docs/pixel-log.md): the evaluator's view of a drawing session,
// used by `sightline replay`, the tests and the benchmark.
import { z } from 'zod'
import { StudioError } from '#shared/contract/errors.ts'
import { checkFrame } from './core/frame.ts'

export type SessionEvent = { op: 'add' | 'erase'; pixels: Int32Array } | { op: 'undo' } | { op: 'redo' }

export interface SessionLog {
  name: string
  width: number
  height: number
  reference: Int32Array
  /** `strokes` first (as adds), then `events`. */
  events: SessionEvent[]
}

const pixels = z.array(z.number())
const schema = z.object({
  name: z.string().optional(),
  width: z.number(),
  height: z.number(),
  reference: pixels,
  strokes: z.array(pixels).optional(),
  events: z
    .array(
      z.discriminatedUnion('op', [
        z.object({ op: z.literal('add'), pixels }),
        z.object({ op: z.literal('erase'), pixels }),
        z.object({ op: z.literal('undo') }),
        z.object({ op: z.literal('redo') })
      ])
    )
    .optional()
})

/** Parse and check a session log; every problem is a StudioError naming where it is. */
export function parseSessionLog(text: string, source = 'session'): SessionLog {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new StudioError('invalid-input', `${source}: not valid JSON (${(err as Error).message})`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new StudioError('invalid-input', `${source}: ${issue.message} at ${issue.path.join('.') || 'the top level'}`)
  }
  const log = parsed.data
  try {
    checkFrame(log.width, log.height)
  } catch (err) {
    throw new StudioError('invalid-input', `${source}: ${(err as Error).message}`)
  }
  if (log.strokes === undefined && log.events === undefined)
    throw new StudioError('invalid-input', `${source}: has neither "strokes" nor "events"`)
  const n = log.width * log.height
  const toPixels = (values: number[], where: string): Int32Array => {
    const out = new Int32Array(values.length)
    for (let i = 0; i < values.length; i++) {
      const p = values[i]
      if (!Number.isInteger(p) || p < 0 || p >= n) {
        throw new StudioError(
          'invalid-input',
          `${source}: ${where}[${i}] = ${p} is not a pixel of the ${log.width} x ${log.height} frame`
        )
      }
      out[i] = p
    }
    return out
  }
  const events: SessionEvent[] = []
  log.strokes?.forEach((s, i) => events.push({ op: 'add', pixels: toPixels(s, `strokes[${i}]`) }))
  log.events?.forEach((e, i) =>
    events.push(
      e.op === 'add' || e.op === 'erase' ? { op: e.op, pixels: toPixels(e.pixels, `events[${i}].pixels`) } : e
    )
  )
  return {
    name: log.name ?? source,
    width: log.width,
    height: log.height,
    reference: toPixels(log.reference, 'reference'),
    events
  }
}

export function referenceMask(log: SessionLog): Uint8Array {
  const mask = new Uint8Array(log.width * log.height)
  for (const p of log.reference) mask[p] = 1
  return mask
}

/** The pixels of every add event, in order (the anchor's add-only view of a session). */
export function addedStrokes(log: SessionLog): Int32Array[] {
  const out: Int32Array[] = []
  for (const e of log.events) if (e.op === 'add') out.push(e.pixels)
  return out
}
