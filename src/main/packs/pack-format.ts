// The assignment pack file, version 1: one JSON file a teacher exports and a student imports,
// holding a session plan and its references (images with their bytes and ink settings, bundled
// references and drills by id). Every field is checked on the way in; nothing in it is trusted.
import { z } from 'zod'
import { isDrillIdValid } from '#shared/drills/ids.ts'
import { SESSION_LIMITS, type SessionPlan } from '#shared/contract/sessions.ts'
import { MAX_REFERENCE_BYTES, type InkSettings } from '#shared/contract/references.ts'
import { inkSettingsSchema } from '#main/references/ink-settings.ts'
import { planSchema, seconds, text } from '#main/training/plan-schema.ts'

export const PACK_FORMAT = 'sightline-pack'
export const PACK_VERSION = 1
/** The largest pack file read at all (its images are base64: a third larger than their bytes). */
export const MAX_PACK_BYTES = 150 * 1000 * 1000
export const PACK_EXTENSION = '.sightline-pack.json'

export type PackItem =
  | {
      source: 'image'
      /** The file name it was imported from (also its name in the student's library). */
      fileName: string
      /** sha256 of the bytes, hex: the reference's id is `lib:<sha256>` on every machine. */
      sha256: string
      /** The original file, base64. */
      data: string
      ink: InkSettings
      seconds?: number
    }
  | { source: 'bundled'; id: string; ink: InkSettings; seconds?: number }
  | { source: 'drill'; id: string; seconds?: number }

export interface PackV1 {
  format: typeof PACK_FORMAT
  version: typeof PACK_VERSION
  createdAt: string
  app: { name: string; version: string }
  /** Who made it (the teacher's name), if they gave one. */
  author?: string
  plan: Omit<SessionPlan, 'items'>
  items: PackItem[]
}

const L = SESSION_LIMITS
// base64 of at most MAX_REFERENCE_BYTES bytes; the alphabet is checked before anything decodes it.
const base64 = z
  .string()
  .min(4)
  .max(Math.ceil(MAX_REFERENCE_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'is not base64')

const item = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('image'),
    fileName: text(255).min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'is not a sha256 in hex'),
    data: base64,
    ink: inkSettingsSchema,
    seconds: seconds.optional()
  }),
  z.strictObject({
    source: z.literal('bundled'),
    id: z.string().regex(/^bundled:[a-z0-9-]{1,64}$/, 'is not a bundled reference id'),
    ink: inkSettingsSchema,
    seconds: seconds.optional()
  }),
  z.strictObject({
    source: z.literal('drill'),
    id: z.string().max(64).refine(isDrillIdValid, 'is not a drill id'),
    seconds: seconds.optional()
  })
])

export const packSchema: z.ZodType<PackV1> = z.strictObject({
  format: z.literal(PACK_FORMAT),
  version: z.literal(PACK_VERSION),
  createdAt: z.iso.datetime(),
  app: z.strictObject({ name: text(64), version: text(64) }),
  author: text(120).optional(),
  plan: planSchema,
  items: z.array(item).min(1).max(L.maxItems)
})

/** Parse a pack file's bytes, or say exactly what is wrong with it (`fileName` starts the message). */
export function parsePack(fileName: string, bytes: Uint8Array): PackV1 {
  const fail = (what: string): never => {
    throw new PackError(`${fileName}: ${what}`)
  }
  if (bytes.length === 0) fail('the file is empty')
  if (bytes.length > MAX_PACK_BYTES)
    fail(`the file is ${(bytes.length / 1e6).toFixed(1)} MB; a pack can be at most ${MAX_PACK_BYTES / 1e6} MB`)
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    fail(`not an assignment pack (${err instanceof Error ? err.message : String(err)})`)
  }
  const head = value as { format?: unknown; version?: unknown } | null
  if (typeof head !== 'object' || head === null || head.format !== PACK_FORMAT)
    fail('not an assignment pack (no "format": "sightline-pack")')
  if (head!.version !== PACK_VERSION)
    fail(`an assignment pack of version ${String(head!.version)}; this app reads version ${PACK_VERSION}`)
  const parsed = packSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    fail(`not a valid assignment pack: ${issue.path.length ? `${issue.path.join('.')} ` : ''}${issue.message}`)
  }
  return parsed.data!
}

/** A pack file that cannot be used; the message names the file and the problem. */
export class PackError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PackError'
  }
}
