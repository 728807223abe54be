// The only bridge between the sandboxed studio page and the main process: the request/reply
// port on the one RPC channel (the page's transport runs the StudioApi over it; main validates
// every message), onMenuCommand and pathForFile. The page never sees ipcRenderer itself, nor
// the IPC event objects.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import {
  MENU_CHANNEL,
  RPC_CHANNEL,
  isMenuCommand,
  type BridgePort,
  type MenuCommand,
  type SightlineBridge
} from '#shared/contract/bridge.ts'

const rpc: BridgePort = {
  send: (message) => ipcRenderer.send(RPC_CHANNEL, message),
  onMessage: (listener) => {
    const forward = (_event: IpcRendererEvent, message: unknown): void => listener(message)
    ipcRenderer.on(RPC_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(RPC_CHANNEL, forward)
    }
  }
}

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

const bridge: SightlineBridge = { rpc, onMenuCommand, pathForFile }

contextBridge.exposeInMainWorld('sightline', bridge)
