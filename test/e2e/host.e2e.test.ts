import { existsSync, statSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, screenshotPath, startHostProcess, type HostProcess } from './harness.ts'
import { tempDir } from '../helpers/tmp.ts'

describe('the studio served by the Node host, in Chromium', () => {
  let host: HostProcess
  let browser: Browser
  const dataDir = tempDir()

  beforeAll(async () => {
    host = await startHostProcess(dataDir)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
  })

  async function open(url: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await page.goto(url)
    return { page, errors }
  }

  it('shows the reference beside an empty canvas of the same size', async () => {
    const { page, errors } = await open(host.url)
    const reference = page.getByTestId('reference')
    await reference.waitFor()
    await page.waitForFunction(() => (document.querySelector('[data-testid=reference]') as HTMLImageElement | null)?.complete === true)
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
    expect(inkInReference.w).toBe(500)
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
