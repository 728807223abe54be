// The reference ink an exported attempt was scored against, found again for a class report:
// bundled references from the app's resources, library references from the assignment packs
// given (by the sha256 in their id), drills by generating them. The ink settings are the ones the
// export recorded (resolved: `auto` carries the threshold it used), applied exactly as the studio
// applies them. Cached per reference, settings and frame.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { FrameSize } from '#shared/contract/app.ts'
import type { InkSettings } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { drillFromId, isDrillId, rasterizeShapes, type Drill } from '#shared/drills/index.ts'
import { loadBundledReferences, type BundledReference } from '#main/references/bundled.ts'
import { checkImage, decodeToFrame } from '#main/references/decode.ts'
import { countInk, extractInk, inkSource } from '#main/references/ink-settings.ts'
import { parsePack } from '#main/packs/pack-format.ts'

export interface FoundReference {
  mask: Uint8Array
  /** The drill, when the reference is one (for its own figures). */
  drill: Drill | null
  /** A picture of what the reference panel showed, for the printed sheet: RGB at frame size. */
  picture: () => Promise<Uint8Array>
}

export class ReferenceInkFinder {
  private bundled: Promise<BundledReference[]> | null = null
  private library: Promise<Map<string, { fileName: string; bytes: Buffer }>> | null = null
  private readonly cache = new Map<string, Promise<FoundReference>>()
  private readonly resourcesDir: string
  private readonly packPaths: readonly string[]

  constructor(resourcesDir: string, packPaths: readonly string[]) {
    this.resourcesDir = resourcesDir
    this.packPaths = packPaths
  }

  find(id: string, ink: InkSettings, frame: FrameSize): Promise<FoundReference> {
    const key = `${id}|${JSON.stringify(ink)}|${frame.width}x${frame.height}`
    let hit = this.cache.get(key)
    if (!hit) {
      hit = this.load(id, ink, frame)
      hit.catch(() => this.cache.delete(key))
      this.cache.set(key, hit)
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value as string)
    }
    return hit
  }

  private async load(id: string, ink: InkSettings, frame: FrameSize): Promise<FoundReference> {
    if (isDrillId(id)) {
      let drill: Drill
      try {
        drill = drillFromId(id, frame)
      } catch {
        throw new StudioError('invalid-input', `the reference ${id} is not a drill this app knows`)
      }
      const mask = rasterizeShapes(drill.answer, frame.width, frame.height)
      const shown = rasterizeShapes(drill.display, frame.width, frame.height)
      return { mask, drill, picture: async () => maskPicture(shown) }
    }
    const image = await this.imageOf(id)
    const source = inkSource(await decodeToFrame(await checkImage(image.fileName, image.bytes), frame))
    const mask = await extractInk(ink, source)
    if (countInk(mask) === 0)
      throw new StudioError('no-ink', `the reference ${id} has no ink at the export's ink settings`)
    return { mask, drill: null, picture: async () => source.fitted.rgb }
  }

  private async imageOf(id: string): Promise<{ fileName: string; bytes: Buffer }> {
    if (id.startsWith('bundled:')) {
      this.bundled ??= loadBundledReferences(this.resourcesDir)
      const ref = (await this.bundled).find((r) => r.id === id)
      if (!ref) throw new StudioError('not-found', `the reference ${id} is not one this version of Sightline has`)
      return { fileName: basename(ref.path), bytes: await readFile(ref.path) }
    }
    const sha = /^lib:([0-9a-f]{64})$/.exec(id)?.[1]
    if (!sha) throw new StudioError('invalid-input', `"${id}" is not a reference id`)
    this.library ??= this.readPacks()
    const found = (await this.library).get(sha)
    if (!found)
      throw new StudioError(
        'not-found',
        `the reference ${id.slice(0, 16)}... is in none of the packs given; pass the assignment pack with --pack`
      )
    return found
  }

  /** Every image of every pack given, by sha256 (the pack's own checks first). */
  private async readPacks(): Promise<Map<string, { fileName: string; bytes: Buffer }>> {
    const out = new Map<string, { fileName: string; bytes: Buffer }>()
    for (const path of this.packPaths) {
      const pack = parsePack(basename(path), await readFile(path))
      for (const item of pack.items) {
        if (item.source !== 'image') continue
        const bytes = Buffer.from(item.data, 'base64')
        if (createHash('sha256').update(bytes).digest('hex') !== item.sha256)
          throw new StudioError(
            'invalid-input',
            `${basename(path)}: ${item.fileName} does not match its checksum; the pack is damaged`
          )
        out.set(item.sha256, { fileName: item.fileName, bytes })
      }
    }
    return out
  }
}

/** Black ink on white, RGB. */
function maskPicture(mask: Uint8Array): Uint8Array {
  const rgb = new Uint8Array(mask.length * 3).fill(255)
  for (let p = 0; p < mask.length; p++) if (mask[p]) rgb.fill(0, p * 3, p * 3 + 3)
  return rgb
}
