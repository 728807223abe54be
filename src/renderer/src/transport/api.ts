import { API_METHODS, type StudioApi } from '#shared/contract/api.ts'
import type { MenuCommand, SightlineBridge } from '#shared/contract/bridge.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { connectHost } from './host-client.ts'

/** Unwrap the preload's envelopes into values or StudioErrors. */
export function fromBridge(bridge: SightlineBridge): StudioApi {
  const entries = API_METHODS.map((method) => [
    method,
    async (arg?: unknown) => {
      const envelope = await (
        bridge[method] as (a: unknown) => Promise<Awaited<ReturnType<SightlineBridge[typeof method]>>>
      )(arg)
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
    startWorker: () =>
      new Worker(new URL('./host-socket.worker.ts', import.meta.url), { type: 'module', name: 'host socket' }),
    canShareMemory: win.crossOriginIsolated && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function'
  })
}

/**
 * What only the desktop shell offers besides the API: its menu's commands and the path of a file
 * the user chose or dropped. Under the Node host there is no menu and no path.
 */
export interface ShellBridge {
  /** True when the desktop menu owns the Ctrl/Cmd accelerators (the page must not run them twice). */
  readonly menuOwnsAccelerators: boolean
  /** Calls back with each menu command; returns an unsubscribe (a no-op without a menu). */
  onMenuCommand(callback: (command: MenuCommand) => void): () => void
  /** Where a chosen or dropped File lives on disk, or '' (always '' under the Node host). */
  pathForFile(file: File): string
}

export function shellBridge(win: Window = window): ShellBridge {
  const bridge = win.sightline
  return {
    menuOwnsAccelerators: typeof bridge?.onMenuCommand === 'function',
    onMenuCommand: (callback) => bridge?.onMenuCommand(callback) ?? (() => {}),
    pathForFile: (file) => bridge?.pathForFile(file) ?? ''
  }
}
