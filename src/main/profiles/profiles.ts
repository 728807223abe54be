// Profiles: a name per student on one machine, each with a data folder of its own (history,
// library, settings). The first profile is the data folder itself, so an existing studio's data
// is its first profile's; others live in <dataDir>/profiles/<id>/. The list is
// <dataDir>/profiles.json, written atomically; a damaged list is set aside and rebuilt with the
// first profile alone (the others' folders stay on disk, untouched).
import { randomUUID } from 'node:crypto'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { Profile, Profiles } from '#shared/contract/training.ts'
import { MAX_NAME_LENGTH } from '#shared/contract/settings.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { writeFileAtomic } from '#main/platform/atomic-file.ts'
import { setAside } from '#main/platform/set-aside.ts'

export const PROFILES_FILE = 'profiles.json'
export const FIRST_PROFILE = 'default'
const FORMAT = 'sightline-profiles'

export const profileName = z
  .string()
  .trim()
  .min(1, 'a profile needs a name')
  .max(MAX_NAME_LENGTH, `a name has at most ${MAX_NAME_LENGTH} characters`)
  .regex(/^\P{Cc}*$/u, 'a name is one line of text')

const PROFILE_ID = /^(default|p-[0-9a-f-]{36})$/

const fileSchema = z.strictObject({
  format: z.literal(FORMAT),
  version: z.literal(1),
  activeId: z.string().regex(PROFILE_ID),
  profiles: z
    .array(z.strictObject({ profileId: z.string().regex(PROFILE_ID), name: profileName, createdAt: z.iso.datetime() }))
    .min(1)
})

export class ProfileDirectory {
  readonly root: string
  #profiles: Profile[]
  #activeId: string

  private constructor(root: string, profiles: Profile[], activeId: string) {
    this.root = root
    this.#profiles = profiles
    this.#activeId = activeId
  }

  static async open(root: string, firstName = ''): Promise<ProfileDirectory> {
    const path = join(root, PROFILES_FILE)
    let text: string | null = null
    try {
      text = await readFile(path, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        console.warn(`[sightline] ${path}: ${(err as Error).message}`)
    }
    if (text !== null) {
      const parsed = (() => {
        try {
          return fileSchema.safeParse(JSON.parse(text))
        } catch {
          return null
        }
      })()
      if (parsed?.success && parsed.data.profiles.some((p) => p.profileId === parsed.data.activeId)) {
        return new ProfileDirectory(root, parsed.data.profiles, parsed.data.activeId)
      }
      const aside = await setAside(path).catch(() => null)
      console.warn(
        `[sightline] ${path} was not a profile list; ${aside ? `kept as ${aside}` : 'left as it is'}; starting from the first profile`
      )
    }
    const first: Profile = { profileId: FIRST_PROFILE, name: firstName || 'Me', createdAt: new Date().toISOString() }
    return new ProfileDirectory(root, [first], FIRST_PROFILE)
  }

  list(): Profiles {
    return { profiles: this.#profiles.map((p) => ({ ...p })), activeId: this.#activeId }
  }

  get active(): Profile {
    return this.#profiles.find((p) => p.profileId === this.#activeId)!
  }

  /** The data folder of a profile. */
  dirOf(profileId: string): string {
    if (!PROFILE_ID.test(profileId))
      throw new StudioError('invalid-input', `"${profileId.slice(0, 80)}" is not a profile id`)
    return profileId === FIRST_PROFILE ? this.root : join(this.root, 'profiles', profileId)
  }

  async create(name: string): Promise<Profile> {
    const parsed = profileName.safeParse(name)
    if (!parsed.success) throw new StudioError('invalid-input', parsed.error.issues[0].message)
    const clean = parsed.data
    if (this.#profiles.some((p) => p.name.toLocaleLowerCase() === clean.toLocaleLowerCase()))
      throw new StudioError('invalid-input', `there is a profile called "${clean}" already`)
    const profile: Profile = { profileId: `p-${randomUUID()}`, name: clean, createdAt: new Date().toISOString() }
    await mkdir(this.dirOf(profile.profileId), { recursive: true })
    await this.#save([...this.#profiles, profile], this.#activeId)
    return profile
  }

  async activate(profileId: string): Promise<void> {
    if (!this.#profiles.some((p) => p.profileId === profileId))
      throw new StudioError('not-found', `no profile with id "${profileId.slice(0, 80)}"`)
    await this.#save(this.#profiles, profileId)
  }

  async rename(profileId: string, name: string): Promise<Profile> {
    const parsed = profileName.safeParse(name)
    if (!parsed.success) throw new StudioError('invalid-input', parsed.error.issues[0].message)
    const profile = this.#profiles.find((p) => p.profileId === profileId)
    if (!profile) throw new StudioError('not-found', `no profile with id "${profileId.slice(0, 80)}"`)
    if (this.#profiles.some((p) => p !== profile && p.name.toLocaleLowerCase() === parsed.data.toLocaleLowerCase()))
      throw new StudioError('invalid-input', `there is a profile called "${parsed.data}" already`)
    await this.#save(
      this.#profiles.map((p) => (p === profile ? { ...p, name: parsed.data } : p)),
      this.#activeId
    )
    return this.#profiles.find((p) => p.profileId === profileId)!
  }

  /** Write the list; only once it is on disk does this directory take it (a failure changes nothing). */
  async #save(profiles: Profile[], activeId: string): Promise<void> {
    const file = { format: FORMAT, version: 1, activeId, profiles }
    try {
      await writeFileAtomic(join(this.root, PROFILES_FILE), JSON.stringify(file, null, 2) + '\n')
    } catch (err) {
      throw new StudioError('storage', `cannot save the profile list in ${this.root}: ${(err as Error).message}`)
    }
    this.#profiles = profiles
    this.#activeId = activeId
  }
}
