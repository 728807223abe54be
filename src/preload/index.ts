// The only bridge between the sandboxed studio page and the main process: one named function
// per API method on window.sightline, plus onMenuCommand. The page never sees ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { API_METHODS } from '#shared/contract/api.ts'
import { MENU_CHANNEL, isMenuCommand, type MenuCommand, type SightlineBridge } from '#shared/contract/bridge.ts'

const methods = Object.fromEntries(
  API_METHODS.map((method) => [method, (arg?: unknown) => ipcRenderer.invoke(`sightline:${method}`, arg)])
)

function onMenuCommand(callback: (command: MenuCommand) => void): () => void {
  // Only named commands pass, and the page's callback never receives the IPC event object.
  const listener = (_event: IpcRendererEvent, command: unknown): void => {
    if (isMenuCommand(command)) callback(command)
  }
  ipcRenderer.on(MENU_CHANNEL, listener)
  return () => {
    ipcRenderer.removeListener(MENU_CHANNEL, listener)
  }
}

/** The file's path on disk, never the deprecated File.path; '' for a file that has none. */
function pathForFile(file: object): string {
  try {
    return webUtils.getPathForFile(file as File)
  } catch {
    return ''
  }
}

const bridge = { ...methods, onMenuCommand, pathForFile } as SightlineBridge

contextBridge.exposeInMainWorld('sightline', bridge)
