import { API_METHODS, type StudioApi } from '#shared/contract/api.ts'
import type { SightlineBridge } from '#shared/contract/bridge.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { connectHost } from './host-client.ts'

/** Unwrap the preload's envelopes into values or StudioErrors. */
export function fromBridge(bridge: SightlineBridge): StudioApi {
  const entries = API_METHODS.map((method) => [
    method,
    async (arg?: unknown) => {
      const envelope = await (bridge[method] as (a: unknown) => Promise<Awaited<ReturnType<SightlineBridge[typeof method]>>>)(arg)
      if (envelope.ok) return envelope.value
      throw new StudioError(envelope.error.code, envelope.error.message)
    }
  ])
  return Object.fromEntries(entries) as unknown as StudioApi
}

/** The transport is picked once, at start: the Electron preload if present, else the Node host. */
export function connectApi(win: Window = window): StudioApi {
  if (win.sightline) return fromBridge(win.sightline)
  return connectHost(win.location, {
    // Vite bundles the worker from this exact expression.
    startWorker: () => new Worker(new URL('./host-socket.worker.ts', import.meta.url), { type: 'module', name: 'host socket' }),
    canShareMemory: win.crossOriginIsolated && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function'
  })
}
