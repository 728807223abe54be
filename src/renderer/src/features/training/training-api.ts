// The studio API as the training feature uses it (set once at start-up, like the stores' connect).
import type { StudioApi } from '#shared/contract/api.ts'

let api: StudioApi | null = null

export function connectTrainingApi(studioApi: StudioApi): void {
  api = studioApi
}

/** A getter, so a component set up before the connection still finds it when it acts. */
export function useTrainingApi(): () => StudioApi {
  return () => {
    if (!api) throw new Error('the training feature was used before the studio connected')
    return api
  }
}
