import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { z } from 'zod'
import type { BundledReferenceSummary, InkSettings } from '#shared/contract/api.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { DEFAULT_INK_THRESHOLD } from './ink.ts'

const manifestSchema = z.array(
  z.strictObject({
    id: z.string().regex(/^bundled:[a-z0-9-]+$/),
    name: z.string().min(1),
    file: z.string().regex(/^[a-z0-9-]+\.png$/)
  })
)

export interface BundledReference extends BundledReferenceSummary {
  path: string
}

/** Bundled references are line drawings: the spec's default rule fits them. */
export const BUNDLED_DEFAULT_INK: InkSettings = { mode: 'threshold', threshold: DEFAULT_INK_THRESHOLD }

/** The references shipped in resources/references, described by its bundled.json. */
export async function loadBundledReferences(resourcesDir: string): Promise<BundledReference[]> {
  const dir = join(resourcesDir, 'references')
  const manifestPath = join(dir, 'bundled.json')
  let entries: z.infer<typeof manifestSchema>
  try {
    entries = manifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')))
  } catch (err) {
    throw new StudioError(
      'internal',
      `the bundled reference list ${manifestPath} is unreadable: ${(err as Error).message}`
    )
  }
  return Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.file)
      const meta = await sharp(path).metadata()
      return {
        id: e.id,
        name: e.name,
        source: 'bundled' as const,
        width: meta.width,
        height: meta.height,
        ink: BUNDLED_DEFAULT_INK,
        path
      }
    })
  )
}
