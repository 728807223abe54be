// The user's reference library on disk, self-contained in one folder so it can move (or move
// into the history database) as a whole:
//
//   <dataDir>/library/
//     <sha256>.<ext>        the original bytes, named by their content hash
//     <sha256>.json         the record (LibraryRecord, versioned)
//     <sha256>.thumb.png    a thumbnail
//     recent.json           ids of recently opened references, most recent first
//     bundled-ink.json      ink settings the user saved for bundled references
//
// Every file is written atomically and durably (platform/atomic-file.ts), the record last, so a
// record on disk always has its original and thumbnail beside it. No link in the library folder
// (or the folder itself as a link) is ever followed, for reading or for writing (data-files.ts).
import { lstat, readdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import type { InkSettings } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { FORMAT_EXTENSION } from './formats.ts'
import { inkSettingsSchema } from './ink-settings.ts'
import { removeStaleTempFiles, writeFileAtomic } from '../platform/atomic-file.ts'
import { assertNoLinks, ensureDataFolder, readDataFile } from '../platform/data-files.ts'

export const RECENT_LIMIT = 12

/** A removed reference's files are deleted this long after its removal (until then, Undo or re-importing restores it). */
export const REMOVED_KEEP_MS = 30 * 24 * 3600 * 1000

const sha256Pattern = /^[0-9a-f]{64}$/

export const libraryRecordSchema = z.strictObject({
  version: z.literal(1),
  sha256: z.string().regex(sha256Pattern),
  /** The file name it was first imported from; `name` is that without its extension. */
  fileName: z.string().min(1).max(255),
  name: z.string().min(1).max(255),
  format: z.enum(['png', 'jpeg', 'webp', 'avif', 'tiff', 'gif', 'svg']),
  bytes: z.int().positive(),
  width: z.int().positive(),
  height: z.int().positive(),
  ink: inkSettingsSchema,
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  /** It looked like a photograph when imported (records from before say nothing: false). */
  photo: z.boolean().optional(),
  /** The person's tags (folders, subjects, classes), in their order. */
  tags: z.array(z.string().min(1).max(40)).max(12).optional(),
  /** Removed by the person: hidden everywhere, restorable, its files deleted a while later. */
  removedAt: z.iso.datetime().optional()
})

export type LibraryRecord = z.infer<typeof libraryRecordSchema>

const recentSchema = z.array(z.string().max(128)).max(1000)
const bundledInkSchema = z.record(z.string().max(128), inkSettingsSchema)

/** A regular file is there (a link in its place is not one: it is replaced when written). */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    (s) => s.isFile(),
    () => false
  )
}

function storageError(what: string, err: unknown): StudioError {
  return new StudioError('storage', `${what}: ${err instanceof Error ? err.message : String(err)}`)
}

export interface Library {
  readonly dir: string
  records(): Promise<LibraryRecord[]>
  get(sha256: string): Promise<LibraryRecord | undefined>
  originalPath(record: LibraryRecord): string
  thumbnailPath(sha256: string): string
  /** Store a new reference: original, thumbnail, then the record. */
  add(entry: { record: LibraryRecord; original: Uint8Array; thumbnail: Uint8Array }): Promise<void>
  /** Restore a missing original (the same bytes imported again). */
  restoreOriginal(record: LibraryRecord, original: Uint8Array): Promise<void>
  /** Change a record: `change` sees the latest version, inside the write queue, so no update is lost. */
  update(sha256: string, change: (record: LibraryRecord) => LibraryRecord): Promise<LibraryRecord>
  recent(): Promise<string[]>
  markRecent(id: string): Promise<void>
  bundledInk(): Promise<Record<string, InkSettings>>
  setBundledInk(id: string, settings: InkSettings): Promise<void>
}

/**
 * The library in `dir`, a folder of the data folder. Records are read once and then kept in
 * memory (this process is the only writer); writes go one at a time. A record that does not
 * parse is skipped with a warning and left on disk untouched.
 */
export function openLibrary(dir: string): Library {
  /** The data folder: no link below it is followed. */
  const root = dirname(dir)
  let loaded: Promise<Map<string, LibraryRecord>> | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let tidied = false

  /**
   * Writes run one at a time; the first clears temp files a crash left (no write can be under way
   * then) and deletes the files of references removed long ago.
   */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(async () => {
      if (!tidied) {
        tidied = true
        await removeStaleTempFiles(dir).catch(() => undefined)
        await purgeRemoved().catch((err: Error) => console.warn(`[sightline] ${err.message}`))
      }
      return task()
    })
    queue = run.catch(() => undefined)
    return run
  }

  async function readJson<T>(file: string, schema: z.ZodType<T>, fallback: T): Promise<T> {
    let text: string
    try {
      const bytes = await readDataFile(root, join(dir, file))
      if (bytes === null) return fallback
      text = bytes.toString('utf8')
    } catch (err) {
      // A link or a folder in the file's place is not ours: passed over like a damaged file
      // (and replaced when this file is next written); the disk refusing is a storage error.
      if (err instanceof StudioError) {
        console.warn(`[sightline] ignoring ${join(dir, file)}: ${err.message}`)
        return fallback
      }
      throw storageError(`could not read ${join(dir, file)}`, err)
    }
    try {
      return schema.parse(JSON.parse(text))
    } catch (err) {
      console.warn(`[sightline] ignoring ${join(dir, file)}: ${(err as Error).message.slice(0, 200)}`)
      return fallback
    }
  }

  function load(): Promise<Map<string, LibraryRecord>> {
    loaded ??= (async () => {
      const map = new Map<string, LibraryRecord>()
      let names: string[]
      try {
        await assertNoLinks(root, dir)
        names = await readdir(dir)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return map
        // The folder is a link (or a file): its contents are not ours. The bundled drawings
        // still show; importing says why it cannot write there.
        if (err instanceof StudioError) {
          console.warn(`[sightline] the library is not read: ${err.message}`)
          return map
        }
        throw storageError(`could not read the library folder ${dir}`, err)
      }
      for (const name of names) {
        const sha = name.endsWith('.json') ? name.slice(0, -5) : ''
        if (!sha256Pattern.test(sha)) continue
        const record = await readJson(name, libraryRecordSchema.nullable(), null)
        if (record && record.sha256 === sha) map.set(sha, record)
        else if (record) console.warn(`[sightline] ignoring ${join(dir, name)}: its hash does not match its name`)
      }
      return map
    })()
    loaded.catch(() => {
      loaded = undefined
    })
    return loaded
  }

  /** Delete what is left of references removed more than REMOVED_KEEP_MS ago: record last, so a crash leaves a record with its files or nothing. */
  async function purgeRemoved(now = Date.now()): Promise<void> {
    const map = await load()
    for (const record of [...map.values()]) {
      if (!record.removedAt || now - Date.parse(record.removedAt) < REMOVED_KEEP_MS) continue
      await rm(library.originalPath(record), { force: true })
      await rm(library.thumbnailPath(record.sha256), { force: true })
      await rm(join(dir, `${record.sha256}.json`), { force: true })
      map.delete(record.sha256)
    }
  }

  async function writeRecord(record: LibraryRecord): Promise<void> {
    await writeFileAtomic(join(dir, `${record.sha256}.json`), JSON.stringify(record, null, 2) + '\n')
  }

  const library: Library = {
    dir,
    async records() {
      return [...(await load()).values()]
    },
    async get(sha256) {
      return (await load()).get(sha256)
    },
    originalPath(record) {
      return join(dir, `${record.sha256}.${FORMAT_EXTENSION[record.format]}`)
    },
    thumbnailPath(sha256) {
      return join(dir, `${sha256}.thumb.png`)
    },
    add({ record, original, thumbnail }) {
      return serial(async () => {
        const map = await load()
        const originalPath = library.originalPath(record)
        const thumbPath = library.thumbnailPath(record.sha256)
        try {
          await ensureDataFolder(root, dir)
          await writeFileAtomic(originalPath, original)
          await writeFileAtomic(thumbPath, thumbnail)
          await writeRecord(record)
        } catch (err) {
          // Leave nothing half-imported behind.
          await Promise.all([rm(originalPath, { force: true }), rm(thumbPath, { force: true })]).catch(() => undefined)
          throw storageError(`could not save "${record.fileName}" in the library (${dir})`, err)
        }
        map.set(record.sha256, record)
      })
    },
    restoreOriginal(record, original) {
      return serial(async () => {
        const path = library.originalPath(record)
        if (await exists(path)) return
        try {
          await ensureDataFolder(root, dir)
          await writeFileAtomic(path, original)
        } catch (err) {
          throw storageError(`could not restore the library copy of "${record.fileName}"`, err)
        }
      })
    },
    update(sha256, change) {
      return serial(async () => {
        const map = await load()
        const current = map.get(sha256)
        if (!current) throw new StudioError('not-found', `no reference with id "lib:${sha256}"`)
        const record = libraryRecordSchema.parse(change(current))
        try {
          await ensureDataFolder(root, dir)
          await writeRecord(record)
        } catch (err) {
          throw storageError(`could not update the library record of "${record.fileName}"`, err)
        }
        map.set(sha256, record)
        return record
      })
    },
    async recent() {
      return readJson('recent.json', recentSchema, [])
    },
    markRecent(id) {
      return serial(async () => {
        const list = await readJson('recent.json', recentSchema, [])
        const next = [id, ...list.filter((x) => x !== id)].slice(0, RECENT_LIMIT)
        try {
          await ensureDataFolder(root, dir)
          await writeFileAtomic(join(dir, 'recent.json'), JSON.stringify(next, null, 2) + '\n')
        } catch (err) {
          throw storageError('could not save the recent references list', err)
        }
      })
    },
    async bundledInk() {
      return readJson('bundled-ink.json', bundledInkSchema, {})
    },
    setBundledInk(id, settings) {
      return serial(async () => {
        const all = await readJson('bundled-ink.json', bundledInkSchema, {})
        all[id] = settings
        try {
          await ensureDataFolder(root, dir)
          await writeFileAtomic(join(dir, 'bundled-ink.json'), JSON.stringify(all, null, 2) + '\n')
        } catch (err) {
          throw storageError('could not save the ink settings of a bundled reference', err)
        }
      })
    }
  }
  return library
}
