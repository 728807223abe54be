import { z } from 'zod'
import type { SettingsApi } from '#shared/contract/settings.ts'
import { settingsPatchSchema } from '../settings/schema.ts'
import type { SettingsService } from '../settings/settings-service.ts'

export const settingsSchemas = {
  getSettings: z.undefined(),
  updateSettings: settingsPatchSchema
}

export function settingsApi({ settings }: { settings: SettingsService }): SettingsApi {
  return {
    async getSettings() {
      return settings.get()
    },
    updateSettings: (patch) => settings.update(patch)
  }
}
