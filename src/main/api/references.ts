import { z } from 'zod'
import { MAX_FRAME_SIDE, MIN_FRAME_SIDE } from '#shared/frame.ts'
import { MAX_REFERENCE_NAME, MAX_TAG_LENGTH, MAX_TAGS } from '#shared/contract/references.ts'
import type { ReferencesApi } from '#shared/contract/references.ts'
import { inkChoiceSchema } from '../references/ink-settings.ts'
import type { ReferenceService } from '../references/service.ts'

export const referenceId = z
  .string()
  .min(1)
  .max(128)
  // Accepts `bundled:<name>` and `lib:<sha256>`; which ids exist is the service's answer (not-found).
  .regex(/^[a-z0-9:_-]+$/, 'a reference id is lower-case letters, digits, ":", "_" or "-"')

const frameSide = z
  .int()
  .min(MIN_FRAME_SIDE, `a frame side is at least ${MIN_FRAME_SIDE} pixels`)
  .max(MAX_FRAME_SIDE, `a frame side is at most ${MAX_FRAME_SIDE} pixels`)
/** An evaluation frame (spec section 1: W x H, each from 64 to 4096). */
export const frameSchema = z.strictObject({ width: frameSide, height: frameSide })

/**
 * Uploads travel as base64 inside one WebSocket message, which the Node host caps at 140 MiB:
 * this bound matches what can arrive at all; the service itself refuses files over 100 MB with
 * a message that names the file.
 */
export const MAX_UPLOAD_BYTES = 140 * 1024 * 1024

const upload = z.union([
  z.strictObject({ path: z.string().min(1).max(4096), ink: inkChoiceSchema.optional() }),
  z.strictObject({
    fileName: z.string().min(1).max(1024),
    bytes: z
      .instanceof(Uint8Array)
      .refine((b) => b.length <= MAX_UPLOAD_BYTES, 'the upload is larger than the host accepts'),
    ink: inkChoiceSchema.optional()
  })
])

/** A line of text a person typed: trimmed, no control characters, within `max` characters. */
const oneLine = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max, `${what} has at most ${max} characters`)
    .regex(/^\P{Cc}*$/u, `${what} is one line of text`)

/** Tags without repeats (case aside), in the order given. */
const tags = z
  .array(oneLine('a tag', MAX_TAG_LENGTH))
  .max(MAX_TAGS, `a reference has at most ${MAX_TAGS} tags`)
  .transform((list) => list.filter((t, i) => list.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i))

export const referencesSchemas = {
  listReferences: z.undefined(),
  recentReferences: z.undefined(),
  getReferenceImage: z.strictObject({ id: referenceId, frame: frameSchema.optional() }),
  getReferenceThumbnail: z.strictObject({ id: referenceId }),
  importReference: upload,
  previewInk: z.strictObject({ id: referenceId, ink: inkChoiceSchema }),
  setReferenceInk: z.strictObject({ id: referenceId, ink: inkChoiceSchema }),
  getReferenceLines: z.strictObject({ id: referenceId, frame: frameSchema.optional() }),
  renameReference: z.strictObject({ id: referenceId, name: oneLine('a name', MAX_REFERENCE_NAME) }),
  setReferenceTags: z.strictObject({ id: referenceId, tags }),
  removeReference: z.strictObject({ id: referenceId }),
  restoreReference: z.strictObject({ id: referenceId })
}

/** The references area: delegation to the one reference service. */
export function referencesApi({ references }: { references: ReferenceService }): ReferencesApi {
  return {
    listReferences: () => references.list(),
    recentReferences: () => references.recent(),
    getReferenceImage: ({ id, frame }) => references.image(id, frame),
    getReferenceThumbnail: ({ id }) => references.thumbnail(id),
    importReference: ({ ink, ...from }) => references.importReference(from, ink),
    previewInk: ({ id, ink }) => references.preview(id, ink),
    setReferenceInk: ({ id, ink }) => references.setInk(id, ink),
    getReferenceLines: ({ id, frame }) => references.lines(id, frame),
    renameReference: ({ id, name }) => references.rename(id, name),
    setReferenceTags: ({ id, tags }) => references.setTags(id, tags),
    removeReference: ({ id }) => references.remove(id),
    restoreReference: ({ id }) => references.restore(id)
  }
}
