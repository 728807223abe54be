// The renderer's transports, picked once at start: the request/reply layer (src/shared/rpc) over
// the Electron preload's IPC port when there is one, else over the Node host's WebSocket. This
// folder is the only code that touches window.sightline.
import type { StudioApi } from '#shared/contract/api.ts'
import type { MenuCommand } from '#shared/contract/bridge.ts'
import { RpcClient } from '#shared/rpc/client.ts'
import { studioApiOver } from '#shared/rpc/studio-api.ts'
import { bridgePort } from './bridge-port.ts'
import { connectHost } from './host-client.ts'

export function connectApi(win: Window = window): StudioApi {
  const bridge = win.sightline
  if (bridge) return studioApiOver(new RpcClient({ connect: () => bridgePort(bridge.rpc) }))
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
