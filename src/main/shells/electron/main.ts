// The Electron shell: app lifecycle, the window and its security settings, the menu. Everything
// else lives in plain Node modules so it runs and is tested without the Electron binary.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron'
import { MENU_CHANNEL } from '#shared/contract/bridge.ts'
import { createStudio } from '#main/app.ts'
import { registerIpc, studioSenderCheck } from './ipc.ts'
import { studioMenuTemplate } from './menu.ts'
import { utilityLauncher } from './evaluator-launcher.ts'
import { utilityDecoderLauncher } from './decoder-launcher.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { readSettingsSync } from '#main/settings/settings-service.ts'
import { APP_PAGE_URL, DESKTOP_CONTENT_SECURITY_POLICY, isAppPage } from './app-files.ts'
import { registerAppScheme, serveAppScheme } from './app-scheme.ts'
import { displayServerSwitches } from './display-server.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
const devServerUrl = process.env.ELECTRON_RENDERER_URL
const rendererDir = join(here, '../renderer')

/** The studio's own page: the app scheme's, or the dev server's while developing. */
function isStudioUrl(url: string): boolean {
  if (!devServerUrl) return isAppPage(url)
  try {
    const u = new URL(url)
    const own = new URL(devServerUrl)
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
  void win.loadURL(devServerUrl ?? APP_PAGE_URL)
  return win
}

// Chromium holds back a page's tasks (IPC replies included) from pen-up until the next frame
// (DeferRendererTasksAfterInput); measured through the host, without it 66 % of scores were
// painted in the ink's own frame instead of none. Must be set before the app is ready.
app.commandLine.appendSwitch('disable-features', 'DeferRendererTasksAfterInput')
// A data folder of its own when asked (a portable install, the Electron end-to-end test): before
// anything reads userData.
if (process.env.SIGHTLINE_DATA_DIR) app.setPath('userData', process.env.SIGHTLINE_DATA_DIR)
// Before ready too: the page's own scheme, and the display server (a pen under XWayland has no
// pressure), read from the settings file with the same schema the settings service uses.
registerAppScheme()
for (const [name, value] of displayServerSwitches(
  readSettingsSync(app.getPath('userData')).displayServer,
  process.platform,
  process.env
))
  app.commandLine.appendSwitch(name, value)

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  await app.whenReady()
  serveAppScheme(session.defaultSession, rendererDir)
  // The policy is also in index.html and on every file of the app scheme; the header covers the
  // dev server's responses too.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CONTENT_SECURITY_POLICY] }
    })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  const studio = await createStudio({
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
  // On the way out (windows closed, so no more calls): end the evaluation process and close
  // the database before the app exits. Quitting waits for it, once.
  let disposed = false
  app.on('will-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    void studio
      .dispose()
      .catch((err: unknown) => console.error('[sightline] shutting down:', err))
      .finally(() => {
        disposed = true
        app.quit()
      })
  })
  registerIpc(ipcMain, studio.api, studioSenderCheck(isStudioUrl))
  let win = createWindow()
  const menu = studioMenuTemplate({
    platform: process.platform === 'darwin' ? 'mac' : 'other',
    packaged: app.isPackaged,
    send: (command) => {
      const target = BrowserWindow.getFocusedWindow() ?? win
      if (!target.isDestroyed()) target.webContents.send(MENU_CHANNEL, command)
    }
  })
  Menu.setApplicationMenu(Menu.buildFromTemplate(menu))
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
