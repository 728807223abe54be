import { z } from 'zod'
import { profileName } from '../profiles/profiles.ts'

const profileId = z.string().min(1).max(64)

// The calls themselves are the studio's own (app.ts): they reopen every service on another folder.
export const profilesSchemas = {
  listProfiles: z.undefined(),
  createProfile: z.strictObject({ name: profileName }),
  renameProfile: z.strictObject({ profileId, name: profileName }),
  switchProfile: z.strictObject({ profileId })
}
