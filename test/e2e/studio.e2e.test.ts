import { execFile } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, CDPSession, Download, Page } from 'playwright-core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostAndBrowser, ROOT, screenshotPath, type HostProcess } from './harness.ts'
import {
  canvasGeometry,
  darkPixels,
  eraserEndStroke,
  gotoStudio,
  nextFrames,
  penStroke,
  type CanvasGeometry,
  type PenPoint
} from './studio-page.ts'
import { tempDir } from '../helpers/tmp.ts'

/** A horizontal line in frame pixels at height y, from x0 to x1. */
const hline = (y: number, x0: number, x1: number, force: number): PenPoint[] =>
  Array.from({ length: 25 }, (_, i) => ({ x: x0 + ((x1 - x0) * i) / 24, y, force, tiltX: 15, tiltY: -5 }))

/** Dark backing pixels in a frame-pixel rectangle. */
function countDark(
  px: { width: number; dark: Uint8Array },
  g: CanvasGeometry,
  r: { x0: number; y0: number; x1: number; y1: number }
): number {
  const sx = g.backingWidth / g.frame.width
  const sy = g.backingHeight / g.frame.height
  let n = 0
  for (let y = Math.floor(r.y0 * sy); y < Math.ceil(r.y1 * sy); y++)
    for (let x = Math.floor(r.x0 * sx); x < Math.ceil(r.x1 * sx); x++) n += px.dark[y * px.width + x]
  return n
}

/** The thickness (in frame pixels) of the ink crossing column x near height y. */
function thicknessAt(px: { width: number; dark: Uint8Array }, g: CanvasGeometry, x: number, y: number): number {
  const sx = g.backingWidth / g.frame.width
  const sy = g.backingHeight / g.frame.height
  const col = Math.round(x * sx)
  let n = 0
  for (let row = Math.floor((y - 20) * sy); row < Math.ceil((y + 20) * sy); row++) n += px.dark[row * px.width + col]
  return n / sy
}

/** The live score once the main side has answered every edit up to history position `cursor`. */
async function scoreAt(page: Page, cursor: number): Promise<string> {
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

describe('drawing in the studio (Node host, Chromium, pen input through CDP)', () => {
  const env = hostAndBrowser()
  let host: HostProcess, browser: Browser
  beforeAll(() => ({ host, browser } = env))

  async function open(
    viewport = { width: 1280, height: 800 },
    colorScheme: 'light' | 'dark' = 'light'
  ): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
    const page = await browser.newPage({ viewport, colorScheme })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await gotoStudio(page, host.url)
    await page.getByTestId('reference').waitFor()
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=reference]') as HTMLImageElement | null)?.complete === true
    )
    // The studio carries on with a drawing left unfinished (an earlier test's page); each test
    // starts a fresh attempt instead, as a user would with New.
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') !== ''
    )
    if ((await page.getByTestId('live-score').getAttribute('data-ops')) !== '0') {
      await page.getByTestId('new-attempt').click()
      await page.waitForFunction(
        () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') === '0'
      )
    }
    return { page, cdp: await page.context().newCDPSession(page), errors }
  }

  it('puts pen ink where it is drawn, thicker where the pen presses harder', async () => {
    const { page, cdp, errors } = await open()
    const g = await canvasGeometry(page)
    expect(g.width).toBeGreaterThan(400)
    // A crisp backing store: the panel's CSS size x devicePixelRatio.
    expect(g.backingWidth).toBe(Math.round(g.width * (await page.evaluate(() => devicePixelRatio))))
    await page.getByTestId('tool-size').fill('6') // pen 8 px: the pressure difference is plain to see
    await penStroke(cdp, g, hline(150, 100, 400, 0.15))
    await penStroke(cdp, g, hline(300, 100, 400, 1))
    await nextFrames(page)
    const px = await darkPixels(page)
    // Ink along both lines, none far from them.
    for (const x of [110, 200, 300, 390]) {
      expect(countDark(px, g, { x0: x - 3, y0: 145, x1: x + 3, y1: 155 })).toBeGreaterThan(0)
      expect(countDark(px, g, { x0: x - 3, y0: 295, x1: x + 3, y1: 305 })).toBeGreaterThan(0)
    }
    expect(countDark(px, g, { x0: 0, y0: 0, x1: 500, y1: 120 })).toBe(0)
    expect(countDark(px, g, { x0: 0, y0: 180, x1: 500, y1: 270 })).toBe(0)
    expect(countDark(px, g, { x0: 0, y0: 330, x1: 500, y1: 500 })).toBe(0)
    expect(countDark(px, g, { x0: 430, y0: 0, x1: 500, y1: 500 })).toBe(0)
    const thin = thicknessAt(px, g, 250, 150)
    const thick = thicknessAt(px, g, 250, 300)
    // 8 px at full pressure; a light touch (0.15) about a third of that.
    expect(thick).toBeGreaterThan(6.5)
    expect(thick).toBeLessThan(9.5)
    expect(thin).toBeLessThan(thick * 0.6)
    expect(thin).toBeGreaterThan(1)
    expect(await page.getByTestId('stroke-count').textContent()).toBe('2 strokes')
    expect(errors).toEqual([])
    await page.screenshot({ path: screenshotPath('studio-pressure') })
    await page.close()
  })

  it('undo and redo restore the earlier canvas exactly; the eraser end erases', async () => {
    const { page, cdp, errors } = await open()
    const g = await canvasGeometry(page)
    await penStroke(cdp, g, hline(200, 80, 420, 0.6))
    await nextFrames(page)
    const one = await darkPixels(page)
    await penStroke(cdp, g, hline(320, 80, 420, 0.6))
    await nextFrames(page)
    const two = await darkPixels(page)
    expect(countDark(two, g, { x0: 80, y0: 310, x1: 420, y1: 330 })).toBeGreaterThan(0)
    await page.getByTestId('undo').click()
    await nextFrames(page)
    expect((await darkPixels(page)).dark).toEqual(one.dark)
    await page.getByTestId('redo').click()
    await nextFrames(page)
    expect((await darkPixels(page)).dark).toEqual(two.dark)

    // The eraser end along the first line wipes it (the eraser is 16 px wide); the second stays.
    await eraserEndStroke(page, g, hline(200, 70, 430, 0.8))
    await nextFrames(page)
    const erased = await darkPixels(page)
    expect(countDark(erased, g, { x0: 0, y0: 150, x1: 500, y1: 250 })).toBe(0)
    expect(countDark(erased, g, { x0: 80, y0: 310, x1: 420, y1: 330 })).toBe(
      countDark(two, g, { x0: 80, y0: 310, x1: 420, y1: 330 })
    )
    expect(await page.getByTestId('stroke-count').textContent()).toBe('3 strokes')
    // Undo brings the erased line back.
    await page.keyboard.press('Control+z')
    await nextFrames(page)
    expect((await darkPixels(page)).dark).toEqual(two.dark)
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the live score after each stroke; undo and redo bring back the earlier scores; Tab evaluates', async () => {
    const { page, cdp, errors } = await open()
    const g = await canvasGeometry(page)
    expect(await scoreAt(page, 0)).toBe('') // no drawing yet: empty, not 0
    // Three sides of the cube, roughly.
    await penStroke(cdp, g, hline(160, 130, 370, 0.6))
    const one = await scoreAt(page, 1)
    expect(one).toMatch(/^\d+\.\d$/)
    await penStroke(
      cdp,
      g,
      Array.from({ length: 20 }, (_, i) => ({ x: 130, y: 160 + i * 10, force: 0.6 }))
    )
    const two = await scoreAt(page, 2)
    await penStroke(
      cdp,
      g,
      Array.from({ length: 20 }, (_, i) => ({ x: 370, y: 160 + i * 10, force: 0.6 }))
    )
    const three = await scoreAt(page, 3)
    expect(new Set([one, two, three]).size).toBeGreaterThan(1)
    await page.getByTestId('undo').click()
    expect(await scoreAt(page, 2)).toBe(two)
    await page.keyboard.press('Control+z')
    expect(await scoreAt(page, 1)).toBe(one)
    await page.keyboard.press('Control+Shift+z')
    expect(await scoreAt(page, 2)).toBe(two)
    await page.getByTestId('redo').click()
    expect(await scoreAt(page, 3)).toBe(three)
    // The pen left the focus on the drawing: Tab evaluates.
    await page.getByTestId('drawing-surface').focus()
    await page.keyboard.press('Tab')
    await page.getByTestId('report').waitFor()
    expect(await page.getByTestId('report-top5').textContent()).toBe(`${three}%`)
    await page.getByTestId('heatmap-picture').waitFor()
    // The heatmap covers the canvas exactly (its frame part).
    const overlay = await page.getByTestId('heatmap-overlay').boundingBox()
    const g2 = await canvasGeometry(page)
    expect(Math.abs(overlay!.width - g2.width)).toBeLessThanOrEqual(1)
    expect(Math.abs(overlay!.x - g2.left)).toBeLessThanOrEqual(1)
    await page.screenshot({ path: screenshotPath('studio-report') })
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('report').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })

  it('scores what the CLI scores: the exported drawing evaluated against the reference gives the live score', async () => {
    const { page, cdp, errors } = await open()
    if ((await page.getByTestId('reference').getAttribute('alt')) !== 'Reference: Cube in two-point perspective') {
      await page.getByTestId('open-reference').click()
      await page.getByTestId('gallery-item-bundled:cube').click()
      await page.waitForFunction(
        () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') === '0'
      )
    }
    const g = await canvasGeometry(page)
    for (let k = 0; k < 5; k++) {
      const pts = Array.from({ length: 24 }, (_, i) => ({
        x: 150 + k * 45 + 25 * Math.sin(i / 4),
        y: 130 + i * 11,
        force: 0.2 + (0.7 * i) / 23
      }))
      await penStroke(cdp, g, pts)
    }
    await eraserEndStroke(page, g, hline(250, 100, 400, 0.5))
    const live = await scoreAt(page, 6)
    await page.getByTestId('evaluate').click()
    const files: Download[] = []
    page.on('download', (d) => files.push(d))
    await page.getByTestId('export').click()
    await expect.poll(() => files.length, { timeout: 60_000 }).toBe(5)
    const dir = tempDir()
    const saved: Record<string, string> = {}
    for (const d of files) {
      const path = join(dir, d.suggestedFilename())
      await d.saveAs(path)
      const name = d.suggestedFilename()
      const kind = name.endsWith('-drawing.png')
        ? 'drawing'
        : name.endsWith('.json')
          ? 'session'
          : name.endsWith('-heatmap.png')
            ? 'heatmap'
            : name.endsWith('-sheet.pdf')
              ? 'sheet-pdf'
              : 'sheet-png'
      saved[kind] = path
    }
    expect(Object.keys(saved).sort()).toEqual(['drawing', 'heatmap', 'session', 'sheet-pdf', 'sheet-png'])
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'src/main/shells/cli/entry.ts'),
        'evaluate',
        join(ROOT, 'resources/references/cube.png'),
        saved.drawing,
        '--json'
      ],
      { cwd: ROOT }
    )
    const cli = JSON.parse(stdout) as { status: string; top5Error: number; drawingPixels: number }
    expect(cli.status).toBe('scored')
    expect(cli.top5Error.toFixed(1)).toBe(live)
    // Full precision too: the session the studio exported holds the evaluation it showed.
    const session = JSON.parse(readFileSync(saved.session, 'utf8')) as {
      evaluation: { top5Error: number; drawingPixels: number }
    }
    expect(cli.top5Error).toBe(session.evaluation.top5Error)
    expect(cli.drawingPixels).toBe(session.evaluation.drawingPixels)

    // The scored pixels are the ink on screen: every exported ink pixel has canvas ink within one
    // frame pixel, and every inked canvas spot has scored ink within one (anti-aliased edges aside).
    const { data: scored, info } = await sharp(saved.drawing).greyscale().raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([500, 500])
    const screen = await darkPixels(page)
    const sx = screen.width / 500
    const sy = screen.height / 500
    const onScreen = (x: number, y: number) =>
      screen.dark[Math.floor((y + 0.5) * sy) * screen.width + Math.floor((x + 0.5) * sx)] === 1
    const inScore = (x: number, y: number) => scored[y * 500 + x] < 128
    const near = (has: (x: number, y: number) => boolean, x: number, y: number) => {
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if (x + dx >= 0 && x + dx < 500 && y + dy >= 0 && y + dy < 500 && has(x + dx, y + dy)) return true
      return false
    }
    let scoredInk = 0
    let strays = 0
    for (let y = 0; y < 500; y++) {
      for (let x = 0; x < 500; x++) {
        if (inScore(x, y)) scoredInk++
        if ((inScore(x, y) && !near(onScreen, x, y)) || (onScreen(x, y) && !near(inScore, x, y))) strays++
      }
    }
    expect(scoredInk).toBe(cli.drawingPixels)
    expect(strays).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })

  it('opens an image file as the reference (imported into the library) and scores against it; refuses a non-image', async () => {
    const { page, cdp, errors } = await open()
    await page.keyboard.press('Control+o')
    await page.getByTestId('gallery').waitFor()
    const input = page.getByTestId('file-input')
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') })
    await page.getByTestId('import-error').waitFor()
    expect(await page.getByTestId('import-error').textContent()).toContain('notes.txt')
    await input.setInputFiles({
      name: 'my vase.png',
      mimeType: 'image/png',
      buffer: readFileSync(join(ROOT, 'resources/references/vase.png'))
    })
    await page.getByTestId('gallery').waitFor({ state: 'detached' })
    await page.waitForFunction(
      () => document.querySelector('[data-testid=reference]')?.getAttribute('alt') === 'Reference: my vase'
    )
    const g = await canvasGeometry(page)
    expect(await scoreAt(page, 0)).toBe('')
    await penStroke(
      cdp,
      g,
      Array.from({ length: 20 }, (_, i) => ({ x: 250, y: 100 + i * 15, force: 0.6 }))
    )
    expect(await scoreAt(page, 1)).toMatch(/^\d+\.\d$/)
    // It is in the library and on the recent list now.
    await page.getByTestId('open-reference').click()
    await page.getByTestId('gallery').waitFor()
    // The gallery lists once the references are read again: wait for the recent list.
    await page.locator('[data-testid=gallery-tab-recent][aria-current=true]').waitFor()
    await page.locator('[data-testid^=recent-item-]').first().waitFor()
    expect(await page.locator('[data-testid^=recent-item-lib]').count()).toBe(1)
    await page.screenshot({ path: screenshotPath('studio-gallery') })
    await page.keyboard.press('Escape')
    // Its ink can be adjusted with a live preview.
    await page.getByTestId('reference-ink').click()
    await page.getByTestId('ink-preview').waitFor()
    await page.getByTestId('ink-mode-threshold').click()
    await page.getByTestId('ink-threshold').fill('200')
    await page.waitForFunction(() =>
      /ink pixels/.test(document.querySelector('[data-testid=ink-count]')?.textContent ?? '')
    )
    await page.screenshot({ path: screenshotPath('studio-ink') })
    await page.getByTestId('ink-apply').click()
    await page.getByTestId('ink-dialog').waitFor({ state: 'detached' })
    expect(await scoreAt(page, 0)).toBe('') // a new attempt against the new lines
    expect(errors).toEqual([])
    await page.close()
  })

  it('looks right at 1280 x 800 and 1920 x 1080, light and dark (screenshots)', async () => {
    for (const [width, height] of [
      [1280, 800],
      [1920, 1080]
    ]) {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, cdp, errors } = await open({ width, height }, scheme)
        const g = await canvasGeometry(page)
        const ref = await page.getByTestId('reference').boundingBox()
        // Sight-size: the reference and the drawing side by side at the same size.
        expect(Math.abs(ref!.width - g.width)).toBeLessThanOrEqual(1)
        expect(ref!.x + ref!.width).toBeLessThan(g.left)
        await page.keyboard.press('g')
        for (let k = 0; k < 4; k++) {
          const pts = Array.from({ length: 30 }, (_, i) => ({
            x: 120 + k * 60 + 40 * Math.cos(i / 5),
            y: 120 + i * 9,
            force: 0.3 + 0.6 * Math.sin(i / 9)
          }))
          await penStroke(cdp, g, pts)
        }
        await nextFrames(page)
        const path = screenshotPath(`studio-${width}x${height}-${scheme}`)
        await page.screenshot({ path })
        expect(statSync(path).size).toBeGreaterThan(10_000)
        await page.keyboard.press('?')
        await page.getByTestId('shortcuts').waitFor()
        await page.screenshot({ path: screenshotPath(`studio-${width}x${height}-${scheme}-shortcuts`) })
        await page.keyboard.press('Escape')
        expect(await page.getByTestId('shortcuts').count()).toBe(0)
        expect(errors).toEqual([])
        await page.close()
      }
    }
  })
})
