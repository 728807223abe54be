// The only bridge between the sandboxed studio page and the main process: one named function
// per API method on window.sightline. The page never sees ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron'
import { API_METHODS } from '../shared/api.ts'
import type { SightlineBridge } from '../shared/bridge.ts'

const bridge = Object.fromEntries(
  API_METHODS.map((method) => [method, (arg?: unknown) => ipcRenderer.invoke(`sightline:${method}`, arg)])
) as SightlineBridge

contextBridge.exposeInMainWorld('sightline', bridge)
