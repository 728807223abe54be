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
import { dataFolderProblem } from '#main/platform/data-folder-access.ts'
import { readSettingsSync } from '#main/settings/settings-service.ts'
import { APP_PAGE_URL, DESKTOP_CONTENT_SECURITY_POLICY } from './app-files.ts'
import { registerAppScheme, serveAppScheme } from './app-scheme.ts'
import { displayServerSwitches } from './display-server.ts'
import { hardenContents, hardenSession } from './hardening.ts'
import { devServerUrl, studioPageMatcher } from './window-policy.ts'

const here = fileURLToPath(new URL('.', import.meta.url))
// The dev server only while developing: a packaged app always shows its own page.
const dev = devServerUrl(process.env, app.isPackaged)
if (dev.url === null && dev.ignored) console.warn(`[sightline] ${dev.ignored}`)
const rendererDir = join(here, '../renderer')
const pageUrl = dev.url ?? APP_PAGE_URL
/** The studio's own page: the only page navigation may go to and IPC answers. */
const isStudioUrl = studioPageMatcher(pageUrl)

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
  // (New windows, webviews and navigation away are refused for every web contents: start().)
  void win.loadURL(pageUrl)
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
  // Every web contents, as it is created: no new windows or webviews, no navigation away.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, isStudioUrl))
  await app.whenReady()
  serveAppScheme(session.defaultSession, rendererDir)
  // No permissions; the policy is also in index.html and on every file of the app scheme, the
  // header covers the dev server's responses too.
  hardenSession(session.defaultSession, DESKTOP_CONTENT_SECURITY_POLICY)
  const dataDir = app.getPath('userData')
  // A data folder that cannot be written: the studio starts with the history off and says why.
  const historyOff = dataFolderProblem(dataDir) ?? undefined
  if (historyOff) console.warn(`[sightline] ${historyOff}`)
  const studio = await createStudio({
    shell: 'electron',
    resourcesDir: defaultResourcesDir(),
    dataDir,
    historyOff,
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
