import { z } from 'zod'
import type { ReferencesApi } from '#shared/contract/references.ts'
import { inkChoiceSchema } from '../references/ink-settings.ts'
import { createReferenceService, type ReferenceInk, type ReferenceService } from '../references/service.ts'
import { Decoder, nodeDecoderLauncher } from '../references/decoder.ts'
import type { StudioContext } from './context.ts'

export const referenceId = z
  .string()
  .min(1)
  .max(128)
  // Accepts `bundled:<name>` and `lib:<sha256>`; which ids exist is the service's answer (not-found).
  .regex(/^[a-z0-9:_-]+$/, 'a reference id is lower-case letters, digits, ":", "_" or "-"')

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
  getReferenceImage: z.strictObject({ id: referenceId }),
  getReferenceThumbnail: z.strictObject({ id: referenceId }),
  importReference: upload,
  previewInk: z.strictObject({ id: referenceId, ink: inkChoiceSchema }),
  setReferenceInk: z.strictObject({ id: referenceId, ink: inkChoiceSchema })
}

// One service per studio context, shared by the API and by other areas' main-side code.
const services = new WeakMap<StudioContext, Promise<ReferenceService>>()

export function referenceService(ctx: StudioContext): Promise<ReferenceService> {
  let service = services.get(ctx)
  if (!service) {
    service = createReferenceService({
      resourcesDir: ctx.options.resourcesDir,
      dataDir: ctx.options.dataDir,
      frame: ctx.frame,
      allowPaths: ctx.options.shell === 'electron',
      decoder: new Decoder(ctx.options.launchDecoder ?? nodeDecoderLauncher())
    })
    services.set(ctx, service)
    service.catch(() => services.delete(ctx))
  }
  return service
}

/**
 * The reference's ink at the frame size under its saved settings: exactly the mask R the
 * evaluator scores. StudioError 'not-found' for an unknown id, 'no-ink' for an empty mask.
 */
export async function loadReferenceInk(ctx: StudioContext, referenceId: string): Promise<ReferenceInk> {
  return (await referenceService(ctx)).loadReferenceInk(referenceId)
}

export async function referencesApi(ctx: StudioContext): Promise<ReferencesApi> {
  const service = await referenceService(ctx)
  return {
    listReferences: () => service.list(),
    recentReferences: () => service.recent(),
    getReferenceImage: ({ id }) => service.image(id),
    getReferenceThumbnail: ({ id }) => service.thumbnail(id),
    importReference: ({ ink, ...from }) => service.importReference(from, ink),
    previewInk: ({ id, ink }) => service.preview(id, ink),
    setReferenceInk: ({ id, ink }) => service.setInk(id, ink)
  }
}
