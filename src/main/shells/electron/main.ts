// The Electron shell: app lifecycle, the window and its security settings, the menu. Everything
// else lives in plain Node modules so it runs and is tested without the Electron binary.
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions } from 'electron'
import { MENU_CHANNEL, type MenuCommand } from '#shared/contract/bridge.ts'
import { createStudioApi } from '#main/app.ts'
import { registerIpc, studioSenderCheck } from './ipc.ts'
import { utilityLauncher } from './evaluator-launcher.ts'
import { utilityDecoderLauncher } from './decoder-launcher.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { CONTENT_SECURITY_POLICY } from '#main/platform/security.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const devServerUrl = process.env.ELECTRON_RENDERER_URL
const rendererFile = join(here, '../renderer/index.html')
const rendererUrl = devServerUrl ?? pathToFileURL(rendererFile).href

function isStudioUrl(url: string): boolean {
  try {
    const u = new URL(url)
    const own = new URL(rendererUrl)
    return u.protocol === own.protocol && u.host === own.host && u.pathname === own.pathname
  } catch {
    return false
  }
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Sightline Studio',
    backgroundColor: '#f4f2ee',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (event, url) => {
    if (!isStudioUrl(url)) event.preventDefault()
  })
  if (devServerUrl) void win.loadURL(devServerUrl)
  else void win.loadFile(rendererFile)
  return win
}

/**
 * The studio's menu. Each item sends a named command to the page, which runs it exactly as it
 * runs the keyboard shortcut; the page leaves the accelerators registered here to the menu.
 * Single keys (G, F, B, ?) and Tab (Evaluate) are shown but left to the page: Tab must keep moving
 * focus between controls, and single letters must not fire while a menu or dialog has the keys.
 */
function studioMenu(target: () => BrowserWindow): MenuItemConstructorOptions[] {
  const item = (
    label: string,
    command: MenuCommand,
    accelerator?: string,
    registerAccelerator = true
  ): MenuItemConstructorOptions => ({
    label,
    accelerator,
    registerAccelerator,
    click: () => {
      const win = target()
      if (!win.isDestroyed()) win.webContents.send(MENU_CHANNEL, command)
    }
  })
  return [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        item('New Attempt', 'new-attempt', 'CmdOrCtrl+N'),
        item('Open Reference…', 'open-reference', 'CmdOrCtrl+O'),
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' }
      ]
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z'),
        item('Redo', 'redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        item('Clear Drawing', 'clear', 'CmdOrCtrl+Backspace')
      ]
    },
    {
      label: 'View',
      submenu: [
        item('Grid', 'toggle-grid', 'G', false),
        item('Flip Horizontally', 'toggle-flip', 'F', false),
        item('Blind Mode', 'toggle-blind', 'B', false),
        { type: 'separator' },
        item('Evaluate', 'evaluate', 'Tab', false),
        item('History…', 'show-history', 'H', false),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' } as const])
      ]
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [item('Keyboard Shortcuts (?)', 'show-shortcuts')] }
  ]
}

// Chromium holds back a page's tasks (IPC replies included) from pen-up until the next frame
// (DeferRendererTasksAfterInput); measured through the host, without it 66 % of scores were
// painted in the ink's own frame instead of none. Must be set before the app is ready.
app.commandLine.appendSwitch('disable-features', 'DeferRendererTasksAfterInput')

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  await app.whenReady()
  // The policy is also in index.html; the header covers the dev server's responses too.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  const api = await createStudioApi({
    shell: 'electron',
    resourcesDir: defaultResourcesDir(),
    dataDir: app.getPath('userData'),
    launchEvaluator: utilityLauncher(join(here, 'evaluator-process.js')),
    launchDecoder: utilityDecoderLauncher(join(here, 'decode-process.js')),
    chooseExportFolder: async (suggested) => {
      const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0]
      const options: Electron.OpenDialogOptions = {
        title: 'Export the evaluation to a folder',
        defaultPath: suggested,
        properties: ['openDirectory', 'createDirectory']
      }
      const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    }
  })
  registerIpc(ipcMain, api, studioSenderCheck(isStudioUrl))
  let win = createWindow()
  Menu.setApplicationMenu(Menu.buildFromTemplate(studioMenu(() => BrowserWindow.getFocusedWindow() ?? win)))
  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore()
    win.focus()
  })
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow()
  })
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
}

start().catch((err: unknown) => {
  console.error('[sightline] failed to start:', err)
  app.exit(1)
})
