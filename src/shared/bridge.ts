import type { ApiArg, ApiMethod, ApiResult } from './api.ts'
import type { Envelope } from './errors.ts'

/**
 * What the preload exposes as `window.sightline`: one named function per API method, each
 * answering with an Envelope (errors thrown across contextBridge lose their code).
 */
export type SightlineBridge = {
  [M in ApiMethod]: (arg: ApiArg<M>) => Promise<Envelope<ApiResult<M>>>
}
