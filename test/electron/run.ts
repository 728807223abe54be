// npm run test:electron: the built desktop app itself, launched by Playwright's Electron driver,
// through the studio's smoke path: the page on its own secure scheme, pen strokes (CDP pen
// events), the live score, Evaluate, Export (to a folder, the dialog answered by the test) and
// History. Where no Electron binary is installed (build machines, CI: Electron 45 fetches it only
// on first `npm start`) it prints one line saying it was skipped and exits 0. Not part of npm test.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { penStroke, type CanvasBox, type PenPoint } from '#tools/pen.ts'

const ROOT = join(import.meta.dirname, '..', '..')

/** The installed Electron binary, found as Electron's own package finds it (without fetching it). */
function electronBinary(): string | null {
  const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  const pathFile = join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), readFileSync(pathFile, 'utf8'))
  return existsSync(binary) ? binary : null
}

const binary = electronBinary()
if (!binary) {
  console.log(
    'test:electron: skipped: no Electron binary installed (node_modules/electron/path.txt is missing; `npm start` fetches it where the network allows)'
  )
  process.exit(0)
}

// The app as `npm start` builds it.
if (spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' }).status !== 0) {
  console.log('test:electron: 0 passed, 1 failed (the build failed)')
  process.exit(1)
}

const results: { name: string; error?: string }[] = []
async function step(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run()
    results.push({ name })
    console.log(`  ok    ${name}`)
  } catch (err) {
    results.push({ name, error: (err as Error).message })
    console.log(`  FAIL  ${name}: ${(err as Error).message.split('\n')[0]}`)
  }
}
function check(cond: unknown, what: string): void {
  if (!cond) throw new Error(what)
}

const dataDir = mkdtempSync(join(tmpdir(), 'sightline-electron-'))
const exportDir = mkdtempSync(join(tmpdir(), 'sightline-electron-export-'))
let app: ElectronApplication | null = null
try {
  app = await _electron.launch({
    executablePath: binary,
    args: [join(ROOT, 'out', 'main', 'index.js')],
    cwd: ROOT,
    env: { ...process.env, SIGHTLINE_DATA_DIR: dataDir }
  })
  const page: Page = await app.firstWindow()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  console.log('test:electron: the desktop app (Electron, playwright-core _electron)')

  await step('serves the page from its own secure scheme', async () => {
    await page.getByTestId('reference').waitFor({ timeout: 30_000 })
    const where = await page.evaluate(() => ({
      href: location.href,
      secure: isSecureContext,
      raw: 'onpointerrawupdate' in window
    }))
    check(where.href.startsWith('sightline://app/'), `the page is at ${where.href}`)
    check(where.secure && where.raw, 'the page is not a secure context with pointerrawupdate')
  })

  const score = async (cursor: number): Promise<string> => {
    await page.waitForFunction(
      (c) => {
        const el = document.querySelector('[data-testid=live-score]')
        return el?.getAttribute('data-cursor') === String(c) && el.getAttribute('data-pending') === 'false'
      },
      cursor,
      { timeout: 30_000 }
    )
    return (await page.getByTestId('live-score').textContent()) ?? ''
  }

  await step('draws pen strokes and shows the live score after each', async () => {
    await score(0)
    const box = (await page.getByTestId('drawing-canvas').boundingBox())!
    const g: CanvasBox = {
      left: box.x,
      top: box.y,
      width: box.width,
      height: box.height,
      frame: { width: 500, height: 500 }
    }
    const cdp = await page.context().newCDPSession(page)
    const line = (x0: number, y0: number, x1: number, y1: number): PenPoint[] =>
      Array.from({ length: 20 }, (_, i) => ({ x: x0 + ((x1 - x0) * i) / 19, y: y0 + ((y1 - y0) * i) / 19, force: 0.6 }))
    await penStroke(cdp, g, line(130, 160, 370, 160))
    check(/^\d+\.\d$/.test(await score(1)), 'no live score after the first stroke')
    await penStroke(cdp, g, line(130, 160, 130, 350))
    await penStroke(cdp, g, line(370, 160, 370, 350))
    check(/^\d+\.\d$/.test(await score(3)), 'no live score after three strokes')
  })

  await step('evaluates: the report with the heatmap', async () => {
    await page.getByTestId('evaluate').click()
    await page.getByTestId('report').waitFor()
    await page.getByTestId('heatmap-picture').waitFor({ timeout: 30_000 })
  })

  await step('exports the heatmap, drawing and session to a folder', async () => {
    await app!.evaluate(({ dialog }, folder) => {
      dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: [folder] })) as typeof dialog.showOpenDialog
    }, exportDir)
    await page.getByTestId('export').click()
    await page.waitForFunction(
      () => /^Saved 3 files/.test(document.querySelector('[data-testid=export-note]')?.textContent ?? ''),
      undefined,
      { timeout: 30_000 }
    )
    const files = readdirSync(exportDir)
    check(
      files.filter((f) => f.endsWith('.png')).length === 2 && files.some((f) => f.endsWith('.json')),
      `exported ${files}`
    )
    await page.keyboard.press('Escape')
  })

  await step('lists the attempt in the history', async () => {
    await page.keyboard.press('h')
    await page.getByTestId('history').waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=history-item]').length > 0, undefined, {
      timeout: 30_000
    })
  })

  await step('reports no page errors', async () => check(errors.length === 0, errors.join('; ')))
} catch (err) {
  results.push({ name: 'launch', error: (err as Error).message })
  console.log(`  FAIL  launch: ${(err as Error).message.split('\n')[0]}`)
} finally {
  await app?.close().catch(() => {})
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(exportDir, { recursive: true, force: true })
}
const failed = results.filter((r) => r.error).length
console.log(`test:electron: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
