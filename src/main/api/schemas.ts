import type { z } from 'zod'
import type { ApiArg, ApiMethod } from '#shared/contract/api.ts'
import { appSchemas } from './app.ts'
import { historySchemas } from './history.ts'
import { referencesSchemas } from './references.ts'
import { attemptsSchemas } from './attempts.ts'
import { settingsSchemas } from './settings.ts'
import { trainingSchemas } from './training.ts'
import { profilesSchemas } from './profiles.ts'

// Every payload that crosses a process border is checked here before any service sees it.
// The mapped type makes a missing or mistyped schema a compile error.
export const inputSchemas: { [M in ApiMethod]: z.ZodType<ApiArg<M>> } = {
  ...appSchemas,
  ...referencesSchemas,
  ...attemptsSchemas,
  ...historySchemas,
  ...settingsSchemas,
  ...trainingSchemas,
  ...profilesSchemas
}
