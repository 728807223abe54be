// The settings of this studio, in <dataDir>/settings.json. Read once at start; every change is
// applied in memory first (the window that made it sees it at once) and then written with the one
// atomic write, one write at a time, in order. A file that is not JSON is set aside, never lost.
import { constants, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_SETTINGS, applySettingsPatch, type Settings, type SettingsPatch } from '#shared/contract/settings.ts'
import { writeFileAtomic } from '../platform/atomic-file.ts'
import { readDataFile } from '../platform/data-files.ts'
import { setAside } from '../platform/set-aside.ts'
import { storageError } from '../history/storage-errors.ts'
import { SETTINGS_KEYS, storedSettingsSchema } from './schema.ts'

export const SETTINGS_FILE = 'settings.json'
const FORMAT = 'sightline-settings'
const VERSION = 1

interface SettingsFile {
  format: typeof FORMAT
  version: number
  settings: Record<string, unknown>
}

export class SettingsService {
  readonly #path: string
  #settings: Settings
  /** Keys in the file this version does not know (a newer app's): written back untouched. */
  readonly #unknown: Record<string, unknown>
  #writes: Promise<void> = Promise.resolve()
  /** What was wrong with the file at start, if anything (said once in the log; the file is kept). */
  readonly problem: string | null

  private constructor(path: string, settings: Settings, unknown: Record<string, unknown>, problem: string | null) {
    this.#path = path
    this.#settings = settings
    this.#unknown = unknown
    this.problem = problem
  }

  static async open(dataDir: string): Promise<SettingsService> {
    const path = join(dataDir, SETTINGS_FILE)
    let text: string
    try {
      // Not through a link: a settings.json that is one is not ours (written, it is replaced).
      const bytes = await readDataFile(dataDir, path)
      if (bytes === null) return new SettingsService(path, DEFAULT_SETTINGS, {}, null)
      text = bytes.toString('utf8')
    } catch (err) {
      // Unreadable (permissions, a folder in its place): defaults for this run, the file untouched.
      const problem = `${path} could not be read (${(err as Error).message}); using the default settings`
      console.warn(`[sightline] ${problem}`)
      return new SettingsService(path, DEFAULT_SETTINGS, {}, problem)
    }
    const raw = parseSettingsFile(text)
    if (!raw) {
      const aside = await setAside(path).catch(() => null)
      const kept = aside ? `it was kept as ${aside}` : 'it could not be moved aside and is left as it is'
      const problem = `${path} was not a settings file; ${kept} and the default settings are used`
      console.warn(`[sightline] ${problem}`)
      return new SettingsService(path, DEFAULT_SETTINGS, {}, problem)
    }
    const unknown = Object.fromEntries(
      Object.entries(raw).filter(([key]) => !(SETTINGS_KEYS as string[]).includes(key))
    )
    return new SettingsService(path, storedSettingsSchema.parse(raw), unknown, null)
  }

  get(): Settings {
    return this.#settings
  }

  /**
   * Applies a validated patch and saves it. The change holds for this run even when the disk
   * refuses it; the caller then gets a `storage` error saying so.
   */
  update(patch: SettingsPatch): Promise<Settings> {
    this.#settings = applySettingsPatch(this.#settings, patch)
    const file: SettingsFile = { format: FORMAT, version: VERSION, settings: { ...this.#unknown, ...this.#settings } }
    const write = this.#writes.then(() => writeFileAtomic(this.#path, JSON.stringify(file, null, 2) + '\n'))
    this.#writes = write.catch(() => undefined)
    const settings = this.#settings
    return write.then(
      () => settings,
      (err: unknown) => {
        throw storageError(err, 'save the settings', this.#path)
      }
    )
  }
}

/**
 * The settings in a data folder, read synchronously and validated by the same schema: for the
 * desktop app's start, which must choose its display server before Electron is ready. Never
 * throws: a missing, unreadable or damaged file gives the defaults (the service says why later).
 */
export function readSettingsSync(dataDir: string): Settings {
  let text: string
  try {
    // O_NOFOLLOW: a settings.json that is a link is not ours (the service reads it the same way).
    text = readFileSync(join(dataDir, SETTINGS_FILE), {
      encoding: 'utf8',
      flag: constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)
    })
  } catch {
    return DEFAULT_SETTINGS
  }
  const raw = parseSettingsFile(text)
  return raw ? storedSettingsSchema.parse(raw) : DEFAULT_SETTINGS
}

/** The settings object of a settings file, or null when the text is not one. */
function parseSettingsFile(text: string): Record<string, unknown> | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const file = value as Partial<SettingsFile>
  if (file.format !== FORMAT || typeof file.settings !== 'object' || file.settings === null) return null
  if (Array.isArray(file.settings)) return null
  return file.settings
}
