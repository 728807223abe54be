// Assignment packs: a teacher's session plan and its references in one file (pack-format.ts).
// Export gathers the originals from the library; import checks the whole file first, then brings
// each image in through the reference import path (the same checks as any file a user picks) and
// gives the plan back with the references' ids on this machine (the same ids: `lib:<sha256>`).
import { createHash } from 'node:crypto'
import type { NamedFile } from '#shared/contract/files.ts'
import type { InkChoice, InkSettings } from '#shared/contract/references.ts'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { isDrillId, parseDrillId } from '#shared/drills/ids.ts'
import { APP_NAME, APP_VERSION } from '#main/platform/app-meta.ts'
import type { ReferenceService } from '#main/references/service.ts'
import {
  PACK_EXTENSION,
  PACK_FORMAT,
  PACK_VERSION,
  PackError,
  parsePack,
  type PackItem,
  type PackV1
} from './pack-format.ts'

export interface ImportedPack {
  plan: SessionPlan
  author: string | null
  createdAt: string
}

/** The pack of a plan, as a file to save or download. */
export async function exportPack(
  references: ReferenceService,
  plan: SessionPlan,
  options: { author?: string; now?: Date } = {}
): Promise<NamedFile> {
  const items: PackItem[] = []
  for (const { referenceId: id, seconds } of plan.items) {
    const timed = seconds === undefined ? {} : { seconds }
    if (isDrillId(id)) {
      if (!parseDrillId(id)) throw new StudioError('invalid-input', `"${id}" is not a drill`)
      items.push({ source: 'drill', id, ...timed })
      continue
    }
    const summary = await references.summary(id)
    if (summary.source === 'bundled') items.push({ source: 'bundled', id, ink: summary.ink, ...timed })
    else {
      const { fileName, bytes } = await references.original(id)
      items.push({
        source: 'image',
        fileName,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        data: bytes.toString('base64'),
        ink: summary.ink,
        ...timed
      })
    }
  }
  const { items: _items, ...rest } = plan
  const pack: PackV1 = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    app: { name: APP_NAME, version: APP_VERSION },
    ...(options.author ? { author: options.author } : {}),
    plan: rest,
    items
  }
  const bytes = new TextEncoder().encode(JSON.stringify(pack, null, 1) + '\n')
  return { name: `${safeName(plan.title) || 'Assignment'}${PACK_EXTENSION}`, mime: 'application/json', bytes }
}

/**
 * Read a pack and bring its references in. The whole file is checked before anything is written;
 * an image the reference import refuses stops the import with its item number and the reason
 * (images of earlier items stay in the library: they are ordinary references).
 */
export async function importPack(
  references: ReferenceService,
  fileName: string,
  bytes: Uint8Array
): Promise<ImportedPack> {
  let pack: PackV1
  try {
    pack = parsePack(fileName, bytes)
  } catch (err) {
    if (err instanceof PackError) throw new StudioError('invalid-input', err.message)
    throw err
  }
  // Checks that need no writing, for every item, before the first import.
  const decoded = pack.items.map((item, i) => {
    if (item.source !== 'image') return null
    const data = Buffer.from(item.data, 'base64')
    if (createHash('sha256').update(data).digest('hex') !== item.sha256)
      throw new StudioError(
        'invalid-input',
        `${fileName}: item ${i + 1} (${item.fileName}) does not match its checksum; the pack is damaged`
      )
    return data
  })
  for (const [i, item] of pack.items.entries()) {
    if (item.source !== 'bundled') continue
    await references.summary(item.id).catch(() => {
      throw new StudioError(
        'not-found',
        `${fileName}: item ${i + 1} is ${item.id}, which this version of Sightline does not have`
      )
    })
  }
  const ids: string[] = []
  for (const [i, item] of pack.items.entries()) {
    const label = `${fileName}: item ${i + 1}${item.source === 'image' ? ` (${item.fileName})` : ''}`
    try {
      if (item.source === 'drill') ids.push(item.id)
      else if (item.source === 'bundled') {
        await keepInk(references, item.id, item.ink)
        ids.push(item.id)
      } else {
        const summary = await references.importReference(
          { fileName: item.fileName, bytes: decoded[i]! },
          choiceOf(item.ink)
        )
        await keepInk(references, summary.id, item.ink)
        ids.push(summary.id)
      }
    } catch (err) {
      if (err instanceof StudioError) throw new StudioError(err.code, `${label}: ${err.message}`)
      throw err
    }
  }
  const plan: SessionPlan = {
    ...pack.plan,
    items: pack.items.map((item, i) => ({
      referenceId: ids[i],
      ...(item.seconds === undefined ? {} : { seconds: item.seconds })
    }))
  }
  return { plan, author: pack.author ?? null, createdAt: pack.createdAt }
}

/** The pack's ink settings win: the student is scored as the teacher set it up. */
async function keepInk(references: ReferenceService, id: string, ink: InkSettings): Promise<void> {
  const now = (await references.summary(id)).ink
  if (now.mode !== ink.mode || (ink.mode !== 'auto' && now.threshold !== ink.threshold))
    await references.setInk(id, choiceOf(ink))
}

const choiceOf = (ink: InkSettings): InkChoice => (ink.mode === 'auto' ? { mode: 'auto' } : ink)

/** A title as a file name: no folder separators or characters file systems refuse. */
function safeName(title: string): string {
  return title
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80)
}
