// The one contract between the studio (renderer) and the main-side services. Three transports
// carry it: Electron IPC (preload), the Node host's WebSocket, and direct calls in tests.
// Every method takes at most one plain-object argument and returns a Promise of plain data
// (Uint8Array allowed), so each transport can carry it unchanged.
//
// Each area declares its part in src/shared/contract/<area>.ts; this file joins them.
import { APP_METHODS, type AppApi } from './app.ts'
import { HISTORY_METHODS, type HistoryApi } from './history.ts'
import { REFERENCES_METHODS, type ReferencesApi } from './references.ts'
import { ATTEMPTS_METHODS, type AttemptsApi } from './attempts.ts'
import { SETTINGS_METHODS, type SettingsApi } from './settings.ts'
import { PROFILES_METHODS, TRAINING_METHODS, type ProfilesApi, type TrainingApi } from './training.ts'

export type * from './app.ts'
export type * from './history.ts'
export type * from './references.ts'
export type * from './attempts.ts'
export type * from './files.ts'
export type * from './settings.ts'
export type * from './training.ts'

export interface StudioApi
  extends AppApi, ReferencesApi, AttemptsApi, HistoryApi, SettingsApi, TrainingApi, ProfilesApi {}

export type ApiMethod = keyof StudioApi

/** The methods in one list, so the preload and the host client expose exactly these. */
export const API_METHODS = [
  ...APP_METHODS,
  ...REFERENCES_METHODS,
  ...ATTEMPTS_METHODS,
  ...HISTORY_METHODS,
  ...SETTINGS_METHODS,
  ...TRAINING_METHODS,
  ...PROFILES_METHODS
] as const satisfies readonly ApiMethod[]

type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>
// Compile-time check that API_METHODS lists every method of StudioApi.
export const API_METHODS_COMPLETE: MissingMethods extends never ? true : never = true

export type ApiArg<M extends ApiMethod> = Parameters<StudioApi[M]> extends [infer A] ? A : undefined
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<StudioApi[M]>>
