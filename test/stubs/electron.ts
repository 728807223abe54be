// Tests never load the Electron binary. This stub stands in for the `electron` module; tests
// that exercise Electron-facing code build their own fakes and pass them in.
export const ipcMain = {}
export const app = {}
export const BrowserWindow = class {}
export const contextBridge = {}
export const ipcRenderer = {}
export const utilityProcess = {}
export default { ipcMain, app, BrowserWindow, contextBridge, ipcRenderer, utilityProcess }
