import sharp from 'sharp'
import { z } from 'zod'
import type { ReferencesApi } from '../../shared/contract/references.ts'
import { StudioError } from '../../shared/errors.ts'
import { loadBundledReferences, type BundledReference } from '../references/bundled.ts'
import { fitToFrame, rgbToPng } from '../references/fit.ts'
import type { StudioContext } from './context.ts'

export const referenceId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9:_-]+$/, 'a reference id is lower-case letters, digits, ":", "_" or "-"')

export const referencesSchemas = {
  listReferences: z.undefined(),
  getReferenceImage: z.strictObject({ id: referenceId })
}

export async function referencesApi(ctx: StudioContext): Promise<ReferencesApi> {
  const bundled = await loadBundledReferences(ctx.options.resourcesDir)

  function findReference(id: string): BundledReference {
    const ref = bundled.find((r) => r.id === id)
    if (!ref) throw new StudioError('not-found', `no reference with id "${id}"`)
    return ref
  }

  return {
    async listReferences() {
      return bundled.map(({ path: _path, ...summary }) => summary)
    },
    async getReferenceImage({ id }) {
      const ref = findReference(id)
      const rgb = await fitToFrame(sharp(ref.path), ctx.frame)
      return { id, width: ctx.frame.width, height: ctx.frame.height, png: await rgbToPng(rgb, ctx.frame) }
    }
  }
}
