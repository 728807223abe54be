// References as the rest of the app sees them: the bundled drawings plus the user's library,
// importing, ink settings with a live preview, and the ink mask the evaluator scores.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type { FrameSize } from '#shared/contract/api.ts'
import { frameFor } from '#shared/frame.ts'
import {
  DEFAULT_OUTLINE_THRESHOLD,
  THUMBNAIL_SIZE,
  type InkChoice,
  type InkPreview,
  type InkSettings,
  type LibraryReferenceSummary,
  type ReferenceImage,
  type ReferenceSummary,
  type ReferenceThumbnail,
  type ReferenceUpload
} from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { BUNDLED_DEFAULT_INK, loadBundledReferences, type BundledReference } from './bundled.ts'
import { checkImage, decodeToFrame, readImageFile, thumbnailPng, type CheckedImage } from './decode.ts'
import { ownFilesRunner, sharedDecoder, type Decoder } from './decoder.ts'
import { rgbToPng } from './fit.ts'
import { renderDrawingPng } from '../render/drawing.ts'
import { countInk, extractInk, inkSource, resolveInk, type InkSource } from './ink-settings.ts'
import { openLibrary, type Library, type LibraryRecord } from './library.ts'
import { composeInkPreview } from './preview.ts'
import { looksLikePhoto, toneProfile } from './tones.ts'
import { readDataFile, readDataPng } from '../platform/data-files.ts'

/** What the evaluator scores: the reference's ink at frame size under its saved settings. */
export interface ReferenceInk {
  /** width * height bytes, row-major, 1 = ink. */
  mask: Uint8Array
  width: number
  height: number
  settings: InkSettings
  inkPixels: number
}

export interface ReferenceService {
  list(): Promise<ReferenceSummary[]>
  recent(): Promise<ReferenceSummary[]>
  summary(id: string): Promise<ReferenceSummary>
  /** The frame a new attempt at this reference gets: its aspect, the longest side from the settings. */
  frameOf(id: string): Promise<FrameSize>
  /**
   * The image fitted into `frame` (by default the frame a new attempt gets); counts as opening
   * the reference (recent list, last used).
   */
  image(id: string, frame?: FrameSize): Promise<ReferenceImage>
  /** The same picture as a PNG, without counting as opening it (exports). */
  picture(id: string, frame: FrameSize): Promise<Uint8Array>
  thumbnail(id: string): Promise<ReferenceThumbnail>
  importReference(upload: ReferenceUpload, ink?: InkChoice): Promise<ReferenceSummary>
  preview(id: string, ink: InkChoice): Promise<InkPreview>
  setInk(id: string, ink: InkChoice): Promise<ReferenceSummary>
  /** The lines being scored (the ink mask), black on white, fitted into `frame`. */
  lines(id: string, frame?: FrameSize): Promise<ReferenceImage>
  /** Library references only: a bundled one is the app's. */
  rename(id: string, name: string): Promise<ReferenceSummary>
  setTags(id: string, tags: string[]): Promise<ReferenceSummary>
  /** Hidden everywhere until restored (or imported again); its files go after REMOVED_KEEP_MS. */
  remove(id: string): Promise<{ id: string }>
  restore(id: string): Promise<ReferenceSummary>
  /** The ink the evaluator scores, at `frame` (an attempt's own frame). */
  loadReferenceInk(id: string, frame: FrameSize): Promise<ReferenceInk>
  /** A library reference's original file, as imported (for an assignment pack). */
  original(id: string): Promise<{ fileName: string; bytes: Buffer }>
  /** End the decoder processes this service was given (the program's shared decoder stays). */
  close(): void
}

export interface ReferenceServiceOptions {
  resourcesDir: string
  /** The library lives in `<dataDir>/library`. */
  dataDir: string
  /** The longest side of a new attempt's frame (the settings' choice, read at each use). */
  frameLongestSide: () => number
  /** Paths may be imported only where the user picked them (the desktop app), never from a browser. */
  allowPaths: boolean
  /** Told of a rename once it is saved (the history shows references by name). */
  renamed?: (id: string, name: string) => void
  /** The decoder processes every image is checked and decoded in (default: the program's shared one). */
  decoder?: Decoder
}

const LIB_PREFIX = 'lib:'
const CACHE_SIZE = 4

export const noInkMessage = (name: string): string =>
  `${name}: the reference has no ink; lower the threshold, try Invert for light lines on a dark or transparent ground, or pick another image`

/** A file name from an upload, as a name to show: no folders, no control characters. */
export function cleanFileName(name: string): string {
  const base =
    name
      .split(/[\\/]/)
      .pop()
      ?.replace(/[\u0000-\u001f\u007f]/g, '')
      .trim() ?? ''
  return base.length > 0 ? base.slice(0, 255) : 'upload'
}

const displayName = (fileName: string): string => basename(fileName, extname(fileName)).trim() || fileName

export async function createReferenceService(options: ReferenceServiceOptions): Promise<ReferenceService> {
  const decoder = options.decoder ?? sharedDecoder()
  const bundled = await loadBundledReferences(options.resourcesDir)
  const library: Library = openLibrary(`${options.dataDir}/library`)
  // Fitted references with their luma (and edges, once asked for): a slider touches only these.
  const cache = new Map<string, Promise<InkSource>>()

  const librarySummary = (r: LibraryRecord): LibraryReferenceSummary => ({
    id: `${LIB_PREFIX}${r.sha256}`,
    name: r.name,
    source: 'library',
    width: r.width,
    height: r.height,
    ink: r.ink,
    fileName: r.fileName,
    format: r.format,
    bytes: r.bytes,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt,
    photo: r.photo ?? false,
    tags: r.tags ?? []
  })

  async function bundledSummary(ref: BundledReference): Promise<ReferenceSummary> {
    const { path: _path, ...summary } = ref
    return { ...summary, ink: (await library.bundledInk())[ref.id] ?? BUNDLED_DEFAULT_INK }
  }

  type Found = { kind: 'bundled'; ref: BundledReference } | { kind: 'library'; record: LibraryRecord }

  async function find(id: string): Promise<Found> {
    const ref = bundled.find((r) => r.id === id)
    if (ref) return { kind: 'bundled', ref }
    if (id.startsWith(LIB_PREFIX)) {
      const record = await library.get(id.slice(LIB_PREFIX.length))
      if (record && !record.removedAt) return { kind: 'library', record }
    }
    throw new StudioError('not-found', `no reference with id "${id}"`)
  }

  /** A library record, removed or not; a bundled id is refused with what to do instead. */
  async function ownRecord(id: string, what: string): Promise<LibraryRecord> {
    if (bundled.some((r) => r.id === id))
      throw new StudioError('invalid-input', `a bundled reference cannot be ${what}; import a copy of it to change it`)
    const record = id.startsWith(LIB_PREFIX) ? await library.get(id.slice(LIB_PREFIX.length)) : undefined
    if (!record) throw new StudioError('not-found', `no reference with id "${id}"`)
    return record
  }

  const summaryOf = async (found: Found): Promise<ReferenceSummary> =>
    found.kind === 'bundled' ? bundledSummary(found.ref) : librarySummary(found.record)

  async function openImage(found: Found): Promise<CheckedImage> {
    if (found.kind === 'bundled') {
      // The studio's own files: decoded here, so the default reference shows without waiting for a process.
      return checkImage(basename(found.ref.path), await readFile(found.ref.path), ownFilesRunner)
    }
    const path = library.originalPath(found.record)
    let bytes: Buffer
    try {
      // Never through a link put in the library's place.
      const read = await readDataFile(options.dataDir, path)
      if (read === null) throw new Error('it is not there')
      bytes = read
    } catch (err) {
      throw new StudioError(
        'storage',
        `the library copy of "${found.record.fileName}" is missing or unreadable (${path}): ${(err as Error).message}`
      )
    }
    return checkImage(found.record.fileName, bytes, decoder)
  }

  function remember(id: string, source: Promise<InkSource>): Promise<InkSource> {
    cache.delete(id)
    cache.set(id, source)
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    source.catch(() => cache.delete(id))
    return source
  }

  /** The frame of a new attempt at an image of this size. */
  const frameOfSize = (size: { width: number; height: number }): FrameSize =>
    frameFor(size.width, size.height, options.frameLongestSide())

  const sizeOf = (found: Found): { width: number; height: number } =>
    found.kind === 'bundled' ? found.ref : found.record

  /** The reference fitted into a frame, computed once per (reference, frame) while it is in use. */
  function sourceOf(id: string, found: Found, frame: FrameSize): Promise<InkSource> {
    const key = `${id}|${frame.width}x${frame.height}`
    const hit = cache.get(key)
    if (hit) return remember(key, hit)
    return remember(
      key,
      (async () => {
        const image = await openImage(found)
        return inkSource(await decodeToFrame(image, frame), () => decodeToFrame(image, frame, '#000000'))
      })()
    )
  }

  async function markUsed(id: string, found: Found): Promise<void> {
    if (found.kind === 'library') {
      await library.update(found.record.sha256, (r) => ({ ...r, lastUsedAt: new Date().toISOString() }))
    }
    await library.markRecent(id)
  }

  const service: ReferenceService = {
    async list() {
      const own = (await library.records())
        .filter((r) => !r.removedAt)
        .sort((a, b) => b.lastUsedAt.localeCompare(a.lastUsedAt))
      return [...(await Promise.all(bundled.map(bundledSummary))), ...own.map(librarySummary)]
    },

    async recent() {
      const out: ReferenceSummary[] = []
      for (const id of await library.recent()) {
        const found = await find(id).catch(() => null)
        if (found) out.push(await summaryOf(found))
      }
      return out
    },

    async summary(id) {
      return summaryOf(await find(id))
    },

    async frameOf(id) {
      return frameOfSize(sizeOf(await find(id)))
    },

    async picture(id, frame) {
      const source = await sourceOf(id, await find(id), frame)
      return rgbToPng(source.fitted.rgb, frame)
    },

    async image(id, wanted) {
      const found = await find(id)
      const frame = wanted ?? frameOfSize(sizeOf(found))
      const source = await sourceOf(id, found, frame)
      const png = await rgbToPng(source.fitted.rgb, frame)
      await markUsed(id, found)
      return { id, width: frame.width, height: frame.height, png }
    },

    async thumbnail(id) {
      const found = await find(id)
      if (found.kind === 'library') {
        const path = library.thumbnailPath(found.record.sha256)
        try {
          // Not through a link, and only a PNG (a damaged one, or anything else, is made again).
          const png = await readDataPng(options.dataDir, path)
          if (png) {
            // The PNG header (IHDR) holds the size: bytes 16..23, big-endian.
            const header = new DataView(png.buffer, png.byteOffset, png.byteLength)
            return { id, width: header.getUint32(16), height: header.getUint32(20), png }
          }
        } catch {
          // A lost or damaged thumbnail is made again from the original below.
        }
      }
      const thumb = await thumbnailPng(await openImage(found), THUMBNAIL_SIZE)
      return {
        id,
        width: thumb.width,
        height: thumb.height,
        png: new Uint8Array(thumb.png.buffer, thumb.png.byteOffset, thumb.png.byteLength)
      }
    },

    async importReference(upload, ink) {
      let fileName: string
      let bytes: Buffer
      if ('path' in upload) {
        if (!options.allowPaths)
          throw new StudioError(
            'forbidden',
            'importing by path is only possible in the desktop app; upload the file instead'
          )
        const file = await readImageFile(upload.path)
        fileName = cleanFileName(file.fileName)
        bytes = file.bytes
      } else {
        fileName = cleanFileName(upload.fileName)
        bytes = Buffer.from(upload.bytes.buffer, upload.bytes.byteOffset, upload.bytes.byteLength)
      }
      const image = await checkImage(fileName, bytes, decoder)
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const id = `${LIB_PREFIX}${sha256}`
      const existing = await library.get(sha256)
      if (existing) {
        // Same bytes, same record: only its last use changes (a lost original comes back, a removed one is back).
        await library.restoreOriginal(existing, bytes)
        if (existing.removedAt) await library.update(sha256, ({ removedAt: _gone, ...r }) => r)
        await markUsed(id, { kind: 'library', record: existing })
        return librarySummary((await library.get(sha256)) ?? existing)
      }
      const frame = frameOfSize(image)
      const source = inkSource(await decodeToFrame(image, frame), () => decodeToFrame(image, frame, '#000000'))
      // Without a choice: a photograph (many tones) is taken as its outline, anything else by the
      // luma rule (Otsu); light lines on a dark or transparent ground, found by nothing else, inverted.
      const photo = looksLikePhoto(toneProfile(source.luma, source.width, source.fitted.content))
      let settings = await resolveInk(
        ink ?? (photo ? { mode: 'outline', threshold: DEFAULT_OUTLINE_THRESHOLD } : { mode: 'auto' }),
        source
      )
      let inkPixels = countInk(await extractInk(settings, source))
      if (inkPixels === 0 && !ink) {
        const inverted = await resolveInk({ mode: 'auto', invert: true }, source)
        const found = countInk(await extractInk(inverted, source))
        if (found > 0) [settings, inkPixels] = [inverted, found]
      }
      if (inkPixels === 0) throw new StudioError('no-ink', noInkMessage(fileName))
      const thumbnail = await thumbnailPng(image, THUMBNAIL_SIZE)
      const now = new Date().toISOString()
      const record: LibraryRecord = {
        version: 1,
        sha256,
        fileName,
        name: displayName(fileName),
        format: image.format,
        bytes: bytes.length,
        width: image.width,
        height: image.height,
        ink: settings,
        createdAt: now,
        lastUsedAt: now,
        photo
      }
      await library.add({ record, original: bytes, thumbnail: thumbnail.png })
      remember(`${id}|${frame.width}x${frame.height}`, Promise.resolve(source))
      await library.markRecent(id)
      return librarySummary(record)
    },

    async preview(id, ink) {
      const found = await find(id)
      const frame = frameOfSize(sizeOf(found))
      const source = await sourceOf(id, found, frame)
      const settings = await resolveInk(ink, source)
      const mask = await extractInk(settings, source)
      // Fast PNG settings: this runs on every slider step.
      const png = await rgbToPng(composeInkPreview(source.fitted.rgb, mask), frame, 1)
      return { id, width: frame.width, height: frame.height, png, inkPixels: countInk(mask), settings }
    },

    async setInk(id, ink) {
      const found = await find(id)
      const source = await sourceOf(id, found, frameOfSize(sizeOf(found)))
      const settings = await resolveInk(ink, source)
      const name = found.kind === 'bundled' ? found.ref.name : found.record.name
      if (countInk(await extractInk(settings, source)) === 0) throw new StudioError('no-ink', noInkMessage(name))
      if (found.kind === 'bundled') {
        await library.setBundledInk(id, settings)
        return bundledSummary(found.ref)
      }
      return librarySummary(await library.update(found.record.sha256, (r) => ({ ...r, ink: settings })))
    },

    async lines(id, wanted) {
      const found = await find(id)
      const frame = wanted ?? frameOfSize(sizeOf(found))
      const ink = await service.loadReferenceInk(id, frame)
      const png = await renderDrawingPng(frame, { mask: ink.mask })
      return {
        id,
        width: frame.width,
        height: frame.height,
        png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
      }
    },

    async rename(id, name) {
      const record = await ownRecord(id, 'renamed')
      const summary = librarySummary(await library.update(record.sha256, (r) => ({ ...r, name })))
      try {
        options.renamed?.(id, name)
      } catch (err) {
        // The library has the new name; the history catches up at the next attempt.
        console.warn(`[sightline] the history keeps the old name of ${id} for now: ${(err as Error).message}`)
      }
      return summary
    },

    async setTags(id, tags) {
      const record = await ownRecord(id, 'tagged')
      return librarySummary(await library.update(record.sha256, (r) => ({ ...r, tags })))
    },

    async remove(id) {
      const record = await ownRecord(id, 'removed')
      await library.update(record.sha256, (r) => ({ ...r, removedAt: r.removedAt ?? new Date().toISOString() }))
      for (const key of [...cache.keys()]) if (key.startsWith(`${id}|`)) cache.delete(key)
      return { id }
    },

    async restore(id) {
      const record = await ownRecord(id, 'restored')
      return librarySummary(await library.update(record.sha256, ({ removedAt: _gone, ...r }) => r))
    },

    async loadReferenceInk(id, frame) {
      const found = await find(id)
      const summary = await summaryOf(found)
      const source = await sourceOf(id, found, frame)
      // `auto` is resolved again: the stored threshold was chosen at the frame size of the import.
      const settings =
        summary.ink.mode === 'auto'
          ? await resolveInk({ mode: 'auto', invert: summary.ink.invert }, source)
          : summary.ink
      const mask = await extractInk(settings, source)
      const inkPixels = countInk(mask)
      if (inkPixels === 0) throw new StudioError('no-ink', noInkMessage(summary.name))
      return { mask, width: frame.width, height: frame.height, settings, inkPixels }
    },

    async original(id) {
      const found = await find(id)
      if (found.kind !== 'library') throw new StudioError('invalid-input', `"${id}" is not in the library`)
      return { fileName: found.record.fileName, bytes: (await openImage(found)).bytes }
    },

    close() {
      if (options.decoder) options.decoder.close()
    }
  }
  return service
}
