import { writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, CDPSession, Download, Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostAndBrowser, launchBrowser, startHostProcess, screenshotPath, type HostProcess } from './harness.ts'
import { canvasGeometry, gotoStudio, nextFrames, penStroke, type PenPoint } from './studio-page.ts'
import { connectHostApi } from '../helpers/host-api.ts'
import { tempDir } from '../helpers/tmp.ts'

/** A wavy line across the frame at height y. */
const wave = (y: number, x0: number, x1: number, amp: number): PenPoint[] =>
  Array.from({ length: 30 }, (_, i) => ({
    x: x0 + ((x1 - x0) * i) / 29,
    y: y + amp * Math.sin(i / 3),
    force: 0.3 + (0.5 * i) / 29
  }))

async function scoredAt(page: Page, cursor: number, ops: number): Promise<string> {
  await page.waitForFunction(
    ([c, n]) => {
      const el = document.querySelector('[data-testid=live-score]')
      return (
        el?.getAttribute('data-cursor') === String(c) &&
        el.getAttribute('data-ops') === String(n) &&
        el.getAttribute('data-pending') === 'false'
      )
    },
    [cursor, ops] as const,
    { timeout: 30_000 }
  )
  return (await page.getByTestId('live-score').textContent()) ?? ''
}

async function newAttempt(page: Page): Promise<void> {
  await page.getByTestId('new-attempt').click()
  await page.waitForFunction(() => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') === '0')
}

/** Frame-pixel darkness (luma < 128) of an <img> or <canvas>, sampled at the frame's pixel centres. */
async function darkFrame(page: Page, testid: string, frame = 500): Promise<Uint8Array> {
  const bits = await page.getByTestId(testid).evaluate((el: HTMLImageElement | HTMLCanvasElement, side) => {
    const w = el instanceof HTMLImageElement ? el.naturalWidth : el.width
    const h = el instanceof HTMLImageElement ? el.naturalHeight : el.height
    const c = document.createElement('canvas')
    c.width = w
    c.height = h
    const ctx = c.getContext('2d')!
    ctx.drawImage(el, 0, 0)
    const data = ctx.getImageData(0, 0, w, h).data
    let out = ''
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const px = Math.floor(((x + 0.5) * w) / side)
        const py = Math.floor(((y + 0.5) * h) / side)
        const i = (py * w + px) * 4
        out += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 128 ? '1' : '0'
      }
    }
    return out
  }, frame)
  return Uint8Array.from(bits, (b) => (b === '1' ? 1 : 0))
}

/** Pixels dark in one picture with nothing dark within one pixel in the other (anti-aliased edges aside). */
function strays(a: Uint8Array, b: Uint8Array, side = 500): number {
  const near = (img: Uint8Array, x: number, y: number): boolean => {
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        if (x + dx >= 0 && x + dx < side && y + dy >= 0 && y + dy < side && img[(y + dy) * side + x + dx]) return true
    return false
  }
  let n = 0
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) if ((a[y * side + x] && !near(b, x, y)) || (b[y * side + x] && !near(a, x, y))) n++
  return n
}
const inked = (img: Uint8Array): number => img.reduce((n, v) => n + v, 0)

describe('the history panel (Node host, Chromium)', () => {
  const env = hostAndBrowser()
  let host: HostProcess, browser: Browser
  beforeAll(() => ({ host, browser } = env))

  async function open(
    colorScheme: 'light' | 'dark' = 'light'
  ): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme, acceptDownloads: true })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await gotoStudio(page, host.url)
    await page.getByTestId('reference').waitFor()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=live-score]')?.getAttribute('data-ops') !== ''
    )
    return { page, cdp: await page.context().newCDPSession(page), errors }
  }

  it('lists finished attempts with thumbnails and scores; details, replay to the end, delete and undo, CSV export', async () => {
    const { page, cdp, errors } = await open()
    const g = await canvasGeometry(page)
    // Attempt 1: two strokes, undo the second, a third stroke (the undone one is dropped).
    await penStroke(cdp, g, wave(150, 80, 420, 12))
    await penStroke(cdp, g, wave(250, 80, 420, 20))
    await page.getByTestId('undo').click()
    await penStroke(cdp, g, wave(350, 120, 380, 8))
    const first = await scoredAt(page, 2, 2)
    await newAttempt(page)
    // Attempt 2: three strokes, clear, one more.
    for (const y of [120, 200, 280]) await penStroke(cdp, g, wave(y, 100, 400, 6))
    await page.getByTestId('clear').click()
    await penStroke(cdp, g, wave(300, 60, 440, 30))
    const second = await scoredAt(page, 5, 5)
    await newAttempt(page)
    // Finishing (final scores, pictures) runs on the main side after New; wait for both.
    const { api, close } = await connectHostApi(host.origin, host.token)
    await expect
      .poll(
        async () =>
          (await api.listAttempts({})).items.filter((a) => a.endedAt !== null && a.thumbnailPng !== null).length,
        { timeout: 30_000 }
      )
      .toBe(2)
    close()

    // H opens the history (the drawing surface does not have the keys then: the page does).
    await page.locator('body').press('h')
    await page.getByTestId('history').waitFor()
    // The attempt just started is not: the history records an attempt at its first edit.
    await expect.poll(() => page.getByTestId('history-item').count(), { timeout: 30_000 }).toBe(2)
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid=history-thumb]')].every(
        (i) => i.complete && i.naturalWidth > 0
      )
    )
    expect(await page.getByTestId('history-thumb').count()).toBe(2)
    // Newest first, each finished one with its final score as the studio showed it.
    expect((await page.getByTestId('history-score').allTextContents()).map((t) => t.trim())).toEqual([
      `${second} %`,
      `${first} %`
    ])
    expect((await page.getByTestId('history-list').locator('h3').first().textContent())?.startsWith('Today')).toBe(true)
    await page.screenshot({ path: screenshotPath('history-list-light') })

    // Details of the first attempt: its report, drawing and heatmap.
    await page.getByTestId('history-item').nth(1).click()
    await page.getByTestId('attempt-details').waitFor()
    expect(await page.getByTestId('details-top5').textContent()).toBe(`${first}%`)
    await page.waitForFunction(() =>
      ['details-drawing', 'details-heatmap'].every((id) => {
        const img = document.querySelector<HTMLImageElement>(`[data-testid=${id}]`)
        return img?.complete === true && img.naturalWidth > 0
      })
    )
    expect(await page.getByTestId('score-chart').count()).toBe(1)
    await page.screenshot({ path: screenshotPath('history-details-light') })
    const drawing = await darkFrame(page, 'details-drawing')
    expect(inked(drawing)).toBeGreaterThan(500)

    // Replay at 8x to the end: the canvas is the attempt's drawing, the score its final score.
    await page.getByTestId('details-replay').click()
    await page.getByTestId('replay').waitFor()
    await page.waitForFunction(() => document.querySelector('[data-testid=replay]')?.getAttribute('data-total') === '4')
    await page.getByTestId('replay-speed').selectOption('8')
    await page.getByTestId('replay-play').click()
    await page.waitForFunction(
      () => document.querySelector('[data-testid=replay]')?.getAttribute('data-done') === 'true',
      undefined,
      { timeout: 30_000 }
    )
    await nextFrames(page)
    expect(await page.getByTestId('replay-score').textContent()).toBe(`${first} %`)
    const replayed = await darkFrame(page, 'replay-canvas')
    expect(strays(replayed, drawing)).toBe(0)
    await page.screenshot({ path: screenshotPath('history-replay-light') })
    // Stepping: back over the last stroke, then over the undo (the undone stroke shows again).
    await page.getByTestId('replay-step-back').click()
    expect(await page.getByTestId('replay-position').textContent()).toBe('3 / 4')
    await page.getByTestId('replay-step-back').click()
    await nextFrames(page)
    const twoStrokes = await darkFrame(page, 'replay-canvas')
    expect(inked(twoStrokes)).toBeGreaterThan(0)
    // The undone stroke (y = 250) is on the canvas at step 2, not in the final drawing.
    const rowInk = (img: Uint8Array, y0: number, y1: number): number => {
      let n = 0
      for (let y = y0; y < y1; y++) for (let x = 0; x < 500; x++) n += img[y * 500 + x]
      return n
    }
    expect(rowInk(twoStrokes, 225, 275)).toBeGreaterThan(100)
    expect(rowInk(drawing, 225, 275)).toBe(0)
    await page.getByTestId('replay-end').click()
    await page.getByTestId('replay-back').click()

    // Delete with undo.
    await page.getByTestId('details-delete').click()
    await page.getByTestId('history-toast').waitFor()
    await expect.poll(() => page.getByTestId('history-item').count()).toBe(1)
    await page.screenshot({ path: screenshotPath('history-deleted-light') })
    await page.getByTestId('history-undo').click()
    await expect.poll(() => page.getByTestId('history-item').count()).toBe(2)
    expect((await page.getByTestId('history-score').allTextContents()).map((t) => t.trim())).toEqual([
      `${second} %`,
      `${first} %`
    ])
    expect(await page.getByTestId('history-toast').count()).toBe(0)

    // Export as CSV: the browser downloads the file, one row per attempt.
    const downloads: Download[] = []
    page.on('download', (d) => downloads.push(d))
    await page.getByTestId('history-export-csv').click()
    await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1)
    const path = join(tempDir(), downloads[0].suggestedFilename())
    await downloads[0].saveAs(path)
    expect(downloads[0].suggestedFilename()).toMatch(/^sightline-history-\d{4}-\d\d-\d\d\.csv$/)
    const csv = (await readFile(path, 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
    expect(csv[0].split(',')).toEqual([
      'name',
      'attempt_id',
      'reference_id',
      'reference_name',
      'started_at',
      'ended_at',
      'active_ms',
      'stroke_count',
      'frame_width',
      'frame_height',
      'discarded',
      'top5_error',
      'mean_error',
      'top_error',
      'precision',
      'recall',
      'f1'
    ])
    expect(csv).toHaveLength(3)
    const ids = await page
      .getByTestId('history-item')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-attempt-id')))
    const scores = csv.slice(1).map((row) => {
      const cells = row.split(',').slice(1) // after the name
      const top5 = cells[10] // after the frame and whether it is discarded
      return { id: cells[0], top5: top5 === '' ? null : Number(top5).toFixed(1), strokes: Number(cells[6]) }
    })
    // Oldest first in the file; strokes committed (undone ones included).
    expect(scores).toEqual([
      { id: ids[1], top5: first, strokes: 3 },
      { id: ids[0], top5: second, strokes: 4 }
    ])

    // The progress chart of the reference, personal best marked.
    await page.locator('[data-testid^=history-filter-bundled]').first().click()
    await page.getByTestId('progress-canvas').waitFor()
    const best = Math.min(Number(first), Number(second)).toFixed(1)
    expect(await page.getByTestId('personal-best').textContent()).toContain(`Personal best ${best} %`)
    await nextFrames(page)
    await page.screenshot({ path: screenshotPath('history-progress-light') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('reads well in the dark theme', async () => {
    const { page, errors } = await open('dark')
    await page.getByTestId('show-history').click()
    await expect.poll(() => page.getByTestId('history-item').count(), { timeout: 30_000 }).toBe(2)
    await page.locator('[data-testid^=history-filter-bundled]').first().click()
    await page.getByTestId('progress-canvas').waitFor()
    await nextFrames(page)
    await page.screenshot({ path: screenshotPath('history-progress-dark') })
    await page.locator('[data-testid=history-item]').nth(0).click()
    await page.getByTestId('attempt-details').waitFor()
    await page.waitForFunction(
      () => document.querySelector<HTMLImageElement>('[data-testid=details-heatmap]')?.complete === true
    )
    await page.screenshot({ path: screenshotPath('history-details-dark') })
    await page.getByTestId('details-replay').click()
    await page.getByTestId('replay-end').click()
    await nextFrames(page)
    await page.screenshot({ path: screenshotPath('history-replay-dark') })
    // Esc steps back: replay, details, list, closed.
    for (const gone of ['replay', 'attempt-details']) {
      await page.keyboard.press('Escape')
      await expect.poll(() => page.getByTestId(gone).count()).toBe(0)
    }
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('history').count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('a damaged history (Node host, Chromium)', () => {
  it('starts anyway, says once what happened, and drawing works', async () => {
    const dataDir = tempDir()
    writeFileSync(
      join(dataDir, 'history.sqlite'),
      Buffer.from('this is not an SQLite database, just some bytes. '.repeat(100))
    )
    const host = await startHostProcess(dataDir)
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(e.message))
      await page.goto(host.url)
      await page.getByTestId('reference').waitFor()
      const notice = page.getByTestId('history-status')
      await notice.waitFor()
      const text = (await notice.textContent()) ?? ''
      expect(text).toContain('damaged')
      expect(text).toMatch(/history\.corrupt-[^ ]+\.sqlite/)
      await page.screenshot({ path: screenshotPath('history-recovered-notice') })
      const cdp = await page.context().newCDPSession(page)
      await penStroke(cdp, await canvasGeometry(page), wave(250, 80, 420, 10))
      expect(await scoredAt(page, 1, 1)).toMatch(/^\d+\.\d$/)
      await page.getByTestId('history-status-dismiss').click()
      expect(await notice.count()).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await browser.close()
      await host.stop()
    }
  })
})
