import type { StudioApi } from '#shared/contract/api.ts'
import { appApi } from './api/app.ts'
import { historyApi } from './api/history.ts'
import { DEFAULT_FRAME, type StudioOptions } from './api/context.ts'
import { referencesApi } from './api/references.ts'
import { attemptsApi } from './api/attempts.ts'
import { History } from './history/history.ts'

export { DEFAULT_FRAME, type StudioOptions } from './api/context.ts'

/** The main-side services behind the StudioApi, in plain Node (no Electron): one part per area. */
export async function createStudioApi(options: StudioOptions): Promise<StudioApi> {
  const ctx = { options, frame: options.frame ?? DEFAULT_FRAME }
  // The one history store of this studio, shared by every service that reads or writes attempts.
  const history = new History(options.dataDir)
  return {
    ...appApi(ctx),
    ...(await referencesApi(ctx)),
    ...attemptsApi(ctx, history).api,
    ...historyApi(history)
  }
}
