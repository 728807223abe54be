// The pen as a tablet artist uses it, through the Node host in Chromium with CDP pen events:
// the pressure ladder measured from a screenshot, construction lines (drawn, not scored, hidden,
// undone), a pen that does not get stuck, and the tablet check.
import { writeFileSync } from 'node:fs'
import type { Browser, CDPSession, Page } from 'playwright-core'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostAndBrowser, screenshotPath, type HostProcess } from './harness.ts'
import { canvasGeometry, gotoStudio, nextFrames, penStroke, type CanvasGeometry, type PenPoint } from './studio-page.ts'

const hline = (y: number, x0: number, x1: number, force: number): PenPoint[] =>
  Array.from({ length: 31 }, (_, i) => ({ x: x0 + ((x1 - x0) * i) / 30, y, force }))

/** Live score text once the main side has answered every edit up to history position `cursor`. */
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

/** Pixels of a canvas with any ink (alpha > 0 for the transparent construction canvas, dark for the drawing). */
async function inkedPixels(page: Page, testid: string): Promise<number> {
  return page.getByTestId(testid).evaluate((el: HTMLCanvasElement) => {
    const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
    let n = 0
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] < 600) n++
    return n
  })
}

describe('the pen (Node host, Chromium, CDP pen events)', () => {
  const env = hostAndBrowser()
  let host: HostProcess, browser: Browser
  beforeAll(() => ({ host, browser } = env))

  async function open(
    viewport = { width: 1280, height: 800 }
  ): Promise<{ page: Page; cdp: CDPSession; errors: string[] }> {
    const page = await browser.newPage({ viewport })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await gotoStudio(page, host.url)
    await page.getByTestId('reference').waitFor()
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

  it('draws a ladder from a hairline at a light touch to the full 3 px at full pressure (widths from a screenshot)', async () => {
    const { page, cdp, errors } = await open()
    const g = await canvasGeometry(page)
    const forces = [0.05, 0.25, 0.5, 0.75, 1]
    const rows = forces.map((_, i) => 70 + i * 80)
    for (const [i, force] of forces.entries()) await penStroke(cdp, g, hline(rows[i], 80, 420, force))
    await scoreAt(page, forces.length)
    // The last stroke is tinted by its error for a moment (feedback on the stroke just drawn): measure the ink.
    await page.getByTestId('stroke-tint').waitFor({ state: 'detached' })
    await nextFrames(page)
    const shot = screenshotPath('pen-pressure-ladder')
    await page.getByTestId('drawing-canvas').screenshot({ path: shot })
    const { data, info } = await sharp(shot).greyscale().raw().toBuffer({ resolveWithObject: true })
    // Screenshot pixels per frame pixel, and the ink's darkness (#161616) for a full-coverage pixel.
    const scale = info.width / g.frame.width
    const inkLuma = 0x16
    const widths = rows.map((row) => {
      // The line's width in each column is its summed coverage across it; the mean over the middle.
      const cols: number[] = []
      for (let x = Math.round(150 * scale); x < Math.round(350 * scale); x++) {
        let cover = 0
        for (let y = Math.round((row - 12) * scale); y < Math.round((row + 12) * scale); y++)
          cover += (255 - data[y * info.width + x]) / (255 - inkLuma)
        cols.push(cover)
      }
      const screen = cols.reduce((a, b) => a + b, 0) / cols.length
      return { screen, frame: screen / scale }
    })
    const report = forces.map((force, i) => ({
      force,
      screenPx: Number(widths[i].screen.toFixed(3)),
      framePx: Number(widths[i].frame.toFixed(3))
    }))
    writeFileSync(
      screenshotPath('pen-pressure-ladder').replace(/\.png$/, '.json'),
      JSON.stringify({ scale, report }, null, 2)
    )
    console.log(`pressure ladder (default 3 px pen, ${scale.toFixed(3)} screenshot px per frame px):`, report)
    // The outline's widths are 0.5 + 2.5 * force frame px (src/shared/stroke/outline.ts).
    forces.forEach((f, i) => expect(widths[i].frame).toBeCloseTo(0.5 + 2.5 * f, 0))
    expect(widths[0].frame).toBeLessThanOrEqual(1)
    expect(widths[0].screen).toBeLessThanOrEqual(1)
    expect(widths[4].frame / widths[0].frame).toBeGreaterThanOrEqual(4)
    for (let i = 1; i < forces.length; i++) expect(widths[i].frame).toBeGreaterThan(widths[i - 1].frame)
    expect(errors).toEqual([])
    await page.close()
  })

  it('draws construction lines faintly, never scores them, hides them, and undoes them like ink', async () => {
    const { page, cdp, errors } = await open()
    const g = await canvasGeometry(page)
    await page.keyboard.press('c')
    expect(await page.getByTestId('tool-construction').getAttribute('aria-pressed')).toBe('true')
    await penStroke(cdp, g, hline(250, 60, 440, 0.6))
    expect(await scoreAt(page, 1)).toBe('') // drawn, not scored: still no drawing to score
    await nextFrames(page)
    expect(await inkedPixels(page, 'construction-canvas')).toBeGreaterThan(300)
    expect(await inkedPixels(page, 'drawing-canvas')).toBe(0)
    expect(await page.getByTestId('stroke-count').textContent()).toBe('0 strokes')

    // Ink over it is scored exactly as without it.
    await page.keyboard.press('p')
    await penStroke(cdp, g, hline(160, 130, 370, 0.6))
    const withSketch = await scoreAt(page, 2)
    expect(withSketch).toMatch(/^\d+\.\d$/)
    await page.screenshot({ path: screenshotPath('pen-construction') })

    // Hidden: the faint canvas goes, the score stays.
    await page.keyboard.press('Shift+C')
    expect(await page.getByTestId('construction-canvas').isVisible()).toBe(false)
    await page.keyboard.press('Shift+C')
    expect(await page.getByTestId('construction-canvas').isVisible()).toBe(true)

    // Undo takes back the ink, then the construction line; redo brings both back.
    await page.keyboard.press('Control+z')
    expect(await scoreAt(page, 1)).toBe('')
    await page.keyboard.press('Control+z')
    await scoreAt(page, 0)
    await nextFrames(page)
    expect(await inkedPixels(page, 'construction-canvas')).toBe(0)
    await page.keyboard.press('Control+Shift+z')
    await page.keyboard.press('Control+Shift+z')
    expect(await scoreAt(page, 2)).toBe(withSketch)
    await nextFrames(page)
    expect(await inkedPixels(page, 'construction-canvas')).toBeGreaterThan(300)

    // Clear construction lines: the ink and its score stay.
    await page.keyboard.press('Control+Shift+Backspace')
    expect(await scoreAt(page, 3)).toBe(withSketch)
    await nextFrames(page)
    expect(await inkedPixels(page, 'construction-canvas')).toBe(0)
    expect(await inkedPixels(page, 'drawing-canvas')).toBeGreaterThan(100)
    expect(errors).toEqual([])
    await page.close()
  })

  it('does not get stuck: a cancelled stroke ends as drawn, a lost lift is let go, no context menu', async () => {
    const { page, errors } = await open()
    const g: CanvasGeometry = await canvasGeometry(page)
    const at = (x: number, y: number) => ({ x: g.left + (x / 500) * g.width, y: g.top + (y / 500) * g.height })
    const events = await page.getByTestId('drawing-surface').evaluate(
      (el, pts) => {
        const init = (p: { x: number; y: number }, buttons: number) => ({
          pointerId: 41,
          pointerType: 'pen',
          isPrimary: true,
          clientX: p.x,
          clientY: p.y,
          pressure: buttons ? 0.6 : 0,
          button: buttons ? 0 : -1,
          buttons,
          bubbles: true,
          cancelable: true,
          composed: true
        })
        // A stroke the system cancels.
        el.dispatchEvent(new PointerEvent('pointerdown', init(pts[0], 1)))
        el.dispatchEvent(new PointerEvent('pointermove', init(pts[1], 1)))
        el.dispatchEvent(new PointerEvent('pointercancel', init(pts[1], 0)))
        // A stroke whose lift is lost: the pen hovers on (no button) and must not draw.
        el.dispatchEvent(new PointerEvent('pointerdown', init(pts[2], 1)))
        el.dispatchEvent(new PointerEvent('pointermove', init(pts[3], 1)))
        el.dispatchEvent(new PointerEvent('pointermove', init(pts[4], 0)))
        el.dispatchEvent(new PointerEvent('pointermove', init(pts[5], 0)))
        const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true })
        el.dispatchEvent(menu)
        return { menuPrevented: menu.defaultPrevented }
      },
      [at(100, 100), at(300, 100), at(100, 300), at(300, 300), at(400, 450), at(450, 450)]
    )
    expect(events.menuPrevented).toBe(true)
    await scoreAt(page, 2)
    expect(await page.getByTestId('stroke-count').textContent()).toBe('2 strokes')
    await nextFrames(page)
    // Nothing was drawn where the pen hovered.
    const hoverInk = await page.getByTestId('drawing-canvas').evaluate((el: HTMLCanvasElement) => {
      const s = el.width / 500
      const d = el
        .getContext('2d')!
        .getImageData(Math.round(330 * s), Math.round(380 * s), Math.round(160 * s), Math.round(100 * s)).data
      let n = 0
      for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++
      return n
    })
    expect(hoverInk).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })

  it('checks the tablet: type, pressure graph, tilt, buttons, rate, eraser and barrel (screenshot)', async () => {
    const { page, cdp, errors } = await open()
    await page.keyboard.press('t')
    await page.getByTestId('tablet-check').waitFor()
    const box = (await page.getByTestId('tablet-pad').boundingBox())!
    const pad = { left: box.x, top: box.y, width: box.width, height: box.height, frame: { width: 500, height: 500 } }
    // A wave pressed lighter and harder, tilted.
    const wave: PenPoint[] = Array.from({ length: 60 }, (_, i) => ({
      x: 20 + i * 7.5,
      y: 250 + 150 * Math.sin(i / 6),
      force: 0.08 + 0.85 * Math.abs(Math.sin(i / 9)),
      tiltX: 30,
      tiltY: -12
    }))
    await penStroke(cdp, pad, wave)
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=tablet-verdict]')?.textContent?.includes('works')
    )
    expect(await page.getByTestId('tablet-type').textContent()).toBe('pen')
    expect(await page.getByTestId('tablet-tilt').textContent()).toBe('30°, -12°')
    expect(Number(await page.getByTestId('tablet-rate').textContent())).toBeGreaterThan(0)
    // The barrel button held while drawing (buttons 1 + 2).
    const mid = { x: box.x + box.width / 2, y: box.y + box.height / 2 }
    const base = { pointerType: 'pen' as const, force: 0.4, tiltX: 0, tiltY: 0 }
    await cdp.send('Input.dispatchMouseEvent', {
      type: 'mousePressed',
      ...mid,
      ...base,
      button: 'left',
      buttons: 3,
      clickCount: 1
    })
    await cdp.send('Input.dispatchMouseEvent', {
      type: 'mouseMoved',
      x: mid.x + 20,
      y: mid.y,
      ...base,
      button: 'left',
      buttons: 3
    })
    await cdp.send('Input.dispatchMouseEvent', {
      type: 'mouseReleased',
      x: mid.x + 20,
      y: mid.y,
      ...base,
      button: 'left',
      buttons: 0,
      clickCount: 1
    })
    await page.waitForFunction(() => document.querySelector('[data-testid=tablet-barrel]')?.textContent === 'seen')
    // The eraser end (CDP cannot send it: a synthetic event).
    await page.getByTestId('tablet-pad').evaluate((el) =>
      el.dispatchEvent(
        new PointerEvent('pointerdown', {
          pointerId: 9,
          pointerType: 'pen',
          pressure: 0.5,
          buttons: 32,
          button: 5,
          clientX: el.getBoundingClientRect().left + 40,
          clientY: el.getBoundingClientRect().top + 40,
          bubbles: true
        })
      )
    )
    await page.waitForFunction(() => document.querySelector('[data-testid=tablet-eraser]')?.textContent === 'seen')
    // The graph shows the pressure that came in.
    const graphInk = await page.getByTestId('tablet-graph').evaluate((el: HTMLCanvasElement) => {
      const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
      let n = 0
      for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 150 && d[i] < 100) n++
      return n
    })
    expect(graphInk).toBeGreaterThan(100)
    await page.getByTestId('tablet-check').screenshot({ path: screenshotPath('pen-tablet-check') })
    expect(errors).toEqual([])
    await page.close()
  })

  it('says what to do when the pen sends no pressure', async () => {
    const { page, cdp } = await open()
    await page.getByTestId('show-shortcuts').click()
    await page.getByTestId('open-tablet-check').click()
    await page.getByTestId('tablet-check').waitFor()
    const box = (await page.getByTestId('tablet-pad').boundingBox())!
    const pad = { left: box.x, top: box.y, width: box.width, height: box.height, frame: { width: 500, height: 500 } }
    // A tablet in mouse mode: the pen always reports 0.5.
    await penStroke(
      cdp,
      pad,
      Array.from({ length: 50 }, (_, i) => ({ x: 30 + i * 9, y: 250, force: 0.5 }))
    )
    await page.getByTestId('tablet-fix').waitFor()
    expect(await page.getByTestId('tablet-verdict').textContent()).toContain('No pressure')
    expect(await page.getByTestId('tablet-fix').textContent()).toMatch(/Wayland|Windows Ink|Privacy/)
    await page.getByTestId('tablet-check').screenshot({ path: screenshotPath('pen-tablet-check-missing') })
    await page.close()
  })
})
