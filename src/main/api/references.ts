import { z } from 'zod'
import { MAX_FRAME_SIDE, MIN_FRAME_SIDE } from '#shared/frame.ts'
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

export const referencesSchemas = {
  listReferences: z.undefined(),
  recentReferences: z.undefined(),
  getReferenceImage: z.strictObject({ id: referenceId, frame: frameSchema.optional() }),
  getReferenceThumbnail: z.strictObject({ id: referenceId }),
  importReference: upload,
  previewInk: z.strictObject({ id: referenceId, ink: inkChoiceSchema }),
  setReferenceInk: z.strictObject({ id: referenceId, ink: inkChoiceSchema })
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
    setReferenceInk: ({ id, ink }) => references.setInk(id, ink)
  }
}
