// Frames that follow the reference, the layout at five window sizes, and attempts that a click
// never loses: a 3000 x 600 panorama, the bundled cube and a photo, in headless Chromium through
// the Node host. The screenshots (test-results/layout-*.png) are for people to look at.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Download, Page } from 'playwright-core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostAndBrowser, screenshotPath, type HostProcess } from './harness.ts'
import { canvasGeometry, darkPixels, gotoStudio, nextFrames, penStroke, type PenPoint } from './studio-page.ts'
import { panoramaPng, photoJpeg } from '../helpers/reference-images.ts'
import { tempDir } from '../helpers/tmp.ts'

const SIZES = [
  { width: 800, height: 1200 },
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 2560, height: 1440 }
] as const

interface Box {
  x: number
  y: number
  width: number
  height: number
}
const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5

/** A stroke across a fraction of the frame: from (x0, y0) to (x1, y1), each 0..1. */
function across(frame: { width: number; height: number }, x0: number, y0: number, x1: number, y1: number): PenPoint[] {
  return Array.from({ length: 20 }, (_, i) => ({
    x: frame.width * (x0 + ((x1 - x0) * i) / 19),
    y: frame.height * (y0 + ((y1 - y0) * i) / 19),
    force: 0.6
  }))
}

async function frameOf(page: Page): Promise<{ width: number; height: number }> {
  const attr = (await page.getByTestId('drawing-surface').getAttribute('data-frame')) ?? '500x500'
  const [width, height] = attr.split('x').map(Number)
  return { width, height }
}

/** The live score once every edit up to history position `cursor` is answered. */
async function scored(page: Page, cursor: number): Promise<string> {
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

describe('frames, layout and attempts (Node host, Chromium)', () => {
  const env = hostAndBrowser()
  let host: HostProcess, browser: Browser
  let panorama: Buffer, photo: Buffer
  beforeAll(async () => {
    ;({ host, browser } = env)
    panorama = await panoramaPng()
    photo = await photoJpeg()
  })

  async function open(viewport: { width: number; height: number } = { width: 1280, height: 800 }) {
    const page = await browser.newPage({ viewport })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await gotoStudio(page, host.url)
    await page.getByTestId('drawing-canvas').waitFor()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') !== ''
    )
    return { page, cdp: await page.context().newCDPSession(page), errors }
  }

  async function importFile(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await page.getByTestId('open-reference').click()
    await page.getByTestId('file-input').setInputFiles({ name, mimeType, buffer })
    await page.getByTestId('gallery').waitFor({ state: 'detached' })
  }

  async function freshAttempt(page: Page): Promise<void> {
    // Whatever attempt is under way has been answered first (a switch may still be settling).
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-pending') === 'false'
    )
    if ((await page.getByTestId('live-score').getAttribute('data-ops')) !== '0') {
      await page.getByTestId('new-attempt').click()
      await page.waitForFunction(
        () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') === '0'
      )
    }
  }

  it('a 3000 x 600 reference gives a canvas of that aspect, and is scored in a frame of that aspect', async () => {
    const { page, cdp, errors } = await open()
    await importFile(page, 'panorama.png', 'image/png', panorama)
    await page.waitForFunction(
      () => document.querySelector('[data-testid=drawing-surface]')?.getAttribute('data-frame') === '500x100'
    )
    const g = await canvasGeometry(page, await frameOf(page))
    expect(Math.abs(g.width / g.height / 5 - 1)).toBeLessThan(0.01)
    const ref = await page.getByTestId('reference').boundingBox()
    expect(Math.abs(ref!.width / ref!.height / 5 - 1)).toBeLessThan(0.01)
    await penStroke(cdp, g, across(g.frame, 0.05, 0.78, 0.95, 0.78))
    await penStroke(cdp, g, across(g.frame, 0.1, 0.5, 0.4, 0.3))
    expect(await scored(page, 2)).toMatch(/^\d+\.\d$/)
    // The export says how it was scored: the session's frame and the drawing's pixels.
    const downloads: Download[] = []
    page.on('download', (d) => downloads.push(d))
    await page.getByTestId('evaluate').click()
    await page.getByTestId('export').click()
    await expect.poll(() => downloads.length, { timeout: 60_000 }).toBe(5)
    const dir = tempDir()
    const byEnding = async (ending: string): Promise<string> => {
      const d = downloads.find((x) => x.suggestedFilename().endsWith(ending))!
      const path = join(dir, d.suggestedFilename())
      await d.saveAs(path)
      return path
    }
    const session = JSON.parse(readFileSync(await byEnding('.json'), 'utf8'))
    expect(session.frame).toEqual({ width: 500, height: 100 })
    expect(session.evaluation).toMatchObject({ status: 'scored', side: 500 })
    const drawing = await sharp(await byEnding('-drawing.png')).metadata()
    expect([drawing.width, drawing.height]).toEqual([500, 100])
    const sheet = await sharp(await byEnding('-sheet.png')).metadata()
    expect([sheet.width, sheet.height]).toEqual([1654, 2339])
    const pdf = await byEnding('-sheet.pdf')
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-')
    // The printed sheet, for people to look at: the PDF rendered back to pixels at 100 dpi.
    const printed = screenshotPath('sheet-panorama-pdf')
    execFileSync('/usr/bin/pdftoppm', ['-r', '100', '-png', '-singlefile', pdf, printed.replace(/\.png$/, '')])
    const rendered = await sharp(printed).metadata()
    expect([rendered.width, rendered.height]).toEqual([827, 1170])
    expect(errors).toEqual([])
    await page.close()
  })

  it('New with strokes on the canvas can be undone: the attempt comes back as it was', async () => {
    const { page, cdp, errors } = await open()
    await page.getByTestId('open-reference').click()
    await page.getByTestId('gallery-tab-bundled').click()
    await page.getByTestId('gallery-item-bundled:cube').click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=drawing-surface]')?.getAttribute('data-frame') === '500x500'
    )
    await freshAttempt(page)
    const g = await canvasGeometry(page)
    await penStroke(cdp, g, across(g.frame, 0.2, 0.3, 0.8, 0.35))
    await penStroke(cdp, g, across(g.frame, 0.3, 0.7, 0.7, 0.6))
    const score = await scored(page, 2)
    await nextFrames(page)
    const before = await darkPixels(page)
    await page.keyboard.press('Control+n')
    await page.getByTestId('set-aside-toast').waitFor()
    expect(await page.getByTestId('set-aside-toast').textContent()).toContain('2 strokes')
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') === '0'
    )
    expect(await page.getByTestId('stroke-count').textContent()).toBe('0 strokes')
    await page.getByTestId('set-aside-undo').click()
    expect(await scored(page, 2)).toBe(score)
    expect(await page.getByTestId('stroke-count').textContent()).toBe('2 strokes')
    await nextFrames(page)
    expect((await darkPixels(page)).dark).toEqual(before.dark)
    // And it goes on: a third stroke joins the same attempt.
    await penStroke(cdp, g, across(g.frame, 0.4, 0.1, 0.45, 0.9))
    expect(await scored(page, 3)).toMatch(/^\d+\.\d$/)
    expect(errors).toEqual([])
    await page.close()
  })

  it('the timer does not advance while History is open, and History shows the same time', async () => {
    const { page, cdp, errors } = await open()
    await freshAttempt(page)
    const g = await canvasGeometry(page, await frameOf(page))
    await penStroke(cdp, g, across(g.frame, 0.2, 0.4, 0.8, 0.45), 1200)
    await scored(page, 1)
    const seconds = async (): Promise<number> => {
      const [m, s] = ((await page.getByTestId('timer').textContent()) ?? '0:00').split(':').map(Number)
      return m * 60 + s
    }
    await page.keyboard.press('h')
    await page.getByTestId('history').waitFor()
    const atOpen = await seconds()
    const live = page.locator('[data-testid=history-item][data-live=true] [data-testid=history-meta]')
    await live.waitFor()
    await page.waitForTimeout(4000)
    expect(await seconds()).toBe(atOpen)
    const shown = (await live.textContent()) ?? ''
    expect(shown.startsWith((await page.getByTestId('timer').textContent()) ?? '-')).toBe(true)
    await page.getByTestId('history-close').click()
    // Closed again: it goes on from where it stopped, not from four seconds later.
    expect((await seconds()) - atOpen).toBeLessThanOrEqual(1)
    expect(errors).toEqual([])
    await page.close()
  })

  it('a second tab says the studio is open elsewhere and can take over; the first then says so', async () => {
    const { page: first } = await open()
    const second = await browser.newPage({ viewport: { width: 1024, height: 768 } })
    await second.goto(host.url)
    await second.getByTestId('presence-notice').waitFor()
    expect(await second.getByTestId('presence-notice').getAttribute('data-state')).toBe('elsewhere')
    await second.screenshot({ path: screenshotPath('layout-two-tabs-second') })
    await second.getByTestId('presence-take-over').click()
    await second.getByTestId('drawing-canvas').waitFor()
    await first.getByTestId('presence-notice').waitFor({ timeout: 15_000 })
    expect(await first.getByTestId('presence-notice').getAttribute('data-state')).toBe('taken-over')
    await first.screenshot({ path: screenshotPath('layout-two-tabs-first') })
    await first.close()
    await second.close()
  })

  it('lays the studio out at five window sizes, report open or not, for a square, a panorama and a photo', async () => {
    for (const size of SIZES) {
      const { page, cdp, errors } = await open(size)
      for (const subject of ['cube', 'panorama', 'photo'] as const) {
        if (subject === 'cube') {
          await page.getByTestId('open-reference').click()
          await page.getByTestId('gallery-tab-bundled').click()
          await page.getByTestId('gallery-item-bundled:cube').click()
        } else if (subject === 'panorama') {
          await importFile(page, 'panorama.png', 'image/png', panorama)
        } else {
          await importFile(page, 'still life photo.jpg', 'image/jpeg', photo)
          // A photo opens the Ink dialog on Outline, saying why.
          await page.getByTestId('ink-dialog').waitFor()
          expect(await page.getByTestId('ink-reason').textContent()).toContain('looks like a photograph')
          await page.getByTestId('ink-preview').waitFor()
          if (size.width === 1280) await page.screenshot({ path: screenshotPath('layout-photo-ink-dialog-1280x800') })
          await page.getByTestId('ink-apply').click()
          await page.getByTestId('ink-dialog').waitFor({ state: 'detached' })
          await page.getByTestId('reference-lines').waitFor()
        }
        // The switch has settled: the attempt at this reference has its frame (cube 500 x 500,
        // panorama 500 x 100, photo 500 x 375); then a fresh attempt to draw in.
        const expected = { cube: '500x500', panorama: '500x100', photo: '500x375' }[subject]
        await page.waitForFunction(
          (f) => document.querySelector('[data-testid=drawing-surface]')?.getAttribute('data-frame') === f,
          expected
        )
        await freshAttempt(page)
        const frame = await frameOf(page)
        const g = await canvasGeometry(page, frame)
        await penStroke(cdp, g, across(frame, 0.15, 0.3, 0.85, 0.35))
        await penStroke(cdp, g, across(frame, 0.25, 0.75, 0.75, 0.6))
        await scored(page, 2).catch(async (err: Error) => {
          await page.screenshot({ path: screenshotPath(`layout-failed-${subject}-${size.width}x${size.height}`) })
          throw err
        })
        await page.mouse.move(2, 2)
        for (const report of [false, true]) {
          if (report) {
            await page.getByTestId('evaluate').click()
            await page.getByTestId('report').waitFor()
            await page.getByTestId('heatmap-picture').waitFor()
          }
          await nextFrames(page)
          const name = `layout-${subject}-${size.width}x${size.height}-${report ? 'report' : 'studio'}`
          await page.screenshot({ path: screenshotPath(name) })
          const facts = await page.evaluate(() => {
            const box = (el: Element | null) => {
              const r = el?.getBoundingClientRect()
              return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null
            }
            const toolbar = document.querySelector('.toolbar') as HTMLElement
            const controls = [...toolbar.querySelectorAll('button, input')].map((el) => box(el)!)
            return {
              page: { sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight },
              view: { w: innerWidth, h: innerHeight },
              toolbar: { sw: toolbar.scrollWidth, cw: toolbar.clientWidth },
              controls,
              canvas: box(document.querySelector('[data-testid=drawing-canvas]')),
              reference: box(document.querySelector('[data-place=reference]')),
              report: box(document.querySelector('[data-place=report]')),
              evaluate: box(document.querySelector('[data-testid=evaluate]'))
            }
          })
          // Nothing scrolls, nothing is cut off, nothing covers the canvas.
          expect(facts.page.sw, name).toBeLessThanOrEqual(facts.view.w)
          expect(facts.page.sh, name).toBeLessThanOrEqual(facts.view.h)
          expect(facts.toolbar.sw, name).toBeLessThanOrEqual(facts.toolbar.cw)
          for (const c of facts.controls) {
            expect(c.x, name).toBeGreaterThanOrEqual(0)
            expect(c.x + c.width, name).toBeLessThanOrEqual(facts.view.w + 0.5)
          }
          for (const c of facts.controls)
            for (const d of facts.controls) if (c !== d) expect(overlap(c, d), name).toBe(false)
          const canvas = facts.canvas!
          expect(canvas.x >= 0 && canvas.y >= 0, name).toBe(true)
          expect(canvas.x + canvas.width <= facts.view.w && canvas.y + canvas.height <= facts.view.h, name).toBe(true)
          expect(Math.abs(canvas.width / canvas.height / (frame.width / frame.height) - 1), name).toBeLessThan(0.01)
          expect(overlap(canvas, facts.reference!), name).toBe(false)
          if (report) {
            expect(overlap(canvas, facts.report!), name).toBe(false)
            expect(canvas.width, name).toBe(g.width) // not shrunk
          }
        }
        await page.getByTestId('evaluate').click()
      }
      expect(errors).toEqual([])
      await page.close()
    }
  })
})
