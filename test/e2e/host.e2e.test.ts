import { existsSync, statSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostAndBrowser, screenshotPath, type HostProcess } from './harness.ts'
import { canvasGeometry, gotoStudio, penStroke } from './studio-page.ts'

describe('the studio served by the Node host, in Chromium', () => {
  const env = hostAndBrowser()
  let host: HostProcess, browser: Browser
  beforeAll(() => ({ host, browser } = env))

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    // The studio itself (one tab holds it at a time: this one takes it over); anything else as is.
    if (url === host.url) await gotoStudio(page, url)
    else await page.goto(url)
    return { page, errors }
  }

  it('shows the reference beside an empty canvas of the same size', async () => {
    const { page, errors } = await open(host.url)
    const reference = page.getByTestId('reference')
    await reference.waitFor()
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=reference]') as HTMLImageElement | null)?.complete === true
    )
    const canvas = page.getByTestId('drawing-canvas')
    const [refBox, canvasBox] = [await reference.boundingBox(), await canvas.boundingBox()]
    expect(refBox && canvasBox).toBeTruthy()
    expect(Math.abs(refBox!.width - canvasBox!.width)).toBeLessThanOrEqual(1)
    expect(Math.abs(refBox!.height - canvasBox!.height)).toBeLessThanOrEqual(1)
    expect(refBox!.x + refBox!.width).toBeLessThan(canvasBox!.x) // side by side, reference on the left
    expect(refBox!.width).toBeGreaterThan(400) // sight-size fills a 1280 x 800 window
    // The reference really is drawn: it has dark ink pixels; the canvas is blank white.
    const inkInReference = await page.evaluate(() => {
      const img = document.querySelector('[data-testid=reference]') as HTMLImageElement
      const c = document.createElement('canvas')
      c.width = img.naturalWidth
      c.height = img.naturalHeight
      const ctx = c.getContext('2d')!
      ctx.drawImage(img, 0, 0)
      const data = ctx.getImageData(0, 0, c.width, c.height).data
      let dark = 0
      for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++
      return { dark, w: c.width, h: c.height }
    })
    // The picture is fetched at a whole multiple of the 500 x 500 frame, so a large panel is sharp.
    expect(inkInReference.w % 500).toBe(0)
    expect(inkInReference.h).toBe(inkInReference.w)
    expect(inkInReference.dark).toBeGreaterThan(1000)
    const blank = await canvas.evaluate((el: HTMLCanvasElement) => {
      const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
      return data.every((v) => v === 255)
    })
    expect(blank).toBe(true)
    const path = screenshotPath('host-studio')
    await page.screenshot({ path })
    expect(statSync(path).size).toBeGreaterThan(10_000)
    expect(errors).toEqual([])
    await page.close()
  })

  it('talks to the host from a socket worker and takes small replies at the start of frames, tasks or not', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    // Withhold from the page the task of every small reply, as Chromium does from pen-up until the
    // next frame, here for good: the page can only have them from shared memory, in a frame.
    await page.addInitScript({
      content: `
        window.__withheld = 0;
        const handler = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
        Object.defineProperty(Worker.prototype, 'onmessage', {
          configurable: true,
          get() { return handler.get.call(this); },
          set(h) {
            handler.set.call(this, (e) => {
              if (e.data && e.data.kind === 'reply' && e.data.bytes.byteLength < 4096) { window.__withheld++; return; }
              h.call(this, e);
            });
          }
        });
      `
    })
    await gotoStudio(page, host.url)
    await page.getByTestId('reference').waitFor()
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual([
      expect.stringMatching(/^\/assets\/host-socket\.worker-.*\.js$/)
    ])
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') === '0'
    )
    const g = await canvasGeometry(page)
    const cdp = await page.context().newCDPSession(page)
    await penStroke(
      cdp,
      g,
      Array.from({ length: 20 }, (_, i) => ({ x: 100 + i * 15, y: 250, force: 0.6 }))
    )
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid=live-score]')
      return el?.getAttribute('data-cursor') === '1' && el.getAttribute('data-pending') === 'false'
    })
    expect(await page.getByTestId('live-score').textContent()).toMatch(/^\d+\.\d$/)
    // The start-up calls and the stroke were all answered without their tasks.
    expect(await page.evaluate(() => (window as unknown as { __withheld: number }).__withheld)).toBeGreaterThanOrEqual(
      3
    )
    expect(errors).toEqual([])
    await page.close()
  })

  it('refuses the page without the token', async () => {
    const { page } = await open(host.origin + '/')
    expect(await page.textContent('body')).toContain('a valid token is required')
    expect(await page.getByTestId('reference').count()).toBe(0)
    await page.close()
  })

  it('wrote the screenshot under test-results/', () => {
    expect(existsSync(screenshotPath('host-studio'))).toBe(true)
  })
})
