// Drawing on the studio page from tests: the eraser end as synthetic PointerEvents (CDP cannot
// send it), and reading the canvas back in frame coordinates. Pen strokes: ./pen.ts.
import type { Page } from 'playwright-core'
import { toPage, type CanvasBox, type PenPoint } from '#tools/pen.ts'

export { penStroke, type PenPoint } from '#tools/pen.ts'

export interface CanvasGeometry extends CanvasBox {
  /** Backing store size. */
  backingWidth: number
  backingHeight: number
}

export async function canvasGeometry(page: Page, frame = { width: 500, height: 500 }): Promise<CanvasGeometry> {
  return page.getByTestId('drawing-canvas').evaluate((el: HTMLCanvasElement, f) => {
    const r = el.getBoundingClientRect()
    return {
      left: r.left,
      top: r.top,
      width: r.width,
      height: r.height,
      backingWidth: el.width,
      backingHeight: el.height,
      frame: f
    }
  }, frame)
}

/**
 * The eraser end: synthetic pointer events (pointerType 'pen', button 5, buttons 32) dispatched on
 * the canvas. They have no coalesced samples and no active pointer to capture.
 */
export async function eraserEndStroke(page: Page, g: CanvasGeometry, points: PenPoint[]): Promise<void> {
  const pagePoints = points.map((p) => ({ ...toPage(g, p), pressure: p.force ?? 0.5 }))
  await page.getByTestId('drawing-canvas').evaluate((el, pts) => {
    const init = (p: { x: number; y: number; pressure: number }, buttons: number) => ({
      pointerId: 77,
      pointerType: 'pen',
      isPrimary: true,
      clientX: p.x,
      clientY: p.y,
      pressure: buttons ? p.pressure : 0,
      button: 5,
      buttons,
      bubbles: true,
      cancelable: true,
      composed: true
    })
    el.dispatchEvent(new PointerEvent('pointerdown', init(pts[0], 32)))
    for (const p of pts.slice(1)) el.dispatchEvent(new PointerEvent('pointermove', { ...init(p, 32), button: -1 }))
    el.dispatchEvent(new PointerEvent('pointerup', init(pts[pts.length - 1], 0)))
  }, pagePoints)
}

/** The canvas as "is this backing pixel dark" (luma < 128), row-major. */
export async function darkPixels(page: Page): Promise<{ width: number; height: number; dark: Uint8Array }> {
  const { width, height, bits } = await page.getByTestId('drawing-canvas').evaluate((el: HTMLCanvasElement) => {
    const data = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data
    let bits = ''
    for (let i = 0; i < data.length; i += 4)
      bits += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 128 ? '1' : '0'
    return { width: el.width, height: el.height, bits }
  })
  const dark = new Uint8Array(bits.length)
  for (let i = 0; i < bits.length; i++) dark[i] = bits.charCodeAt(i) === 49 ? 1 : 0
  return { width, height, dark }
}

/** Wait until the page has painted (two animation frames: the ink's frame has been produced). */
export async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))))
}

/**
 * Go to the studio in `page`. One tab holds the studio at a time: if an earlier page of the test
 * still holds it (a closed page lets go only after its heartbeat stops), this one takes it over,
 * as a person would with "Use it here".
 */
export async function gotoStudio(page: Page, url: string): Promise<void> {
  await page.goto(url)
  // The page asks the host who holds the studio before it starts anything: wait for the answer.
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-presence]')?.getAttribute('data-presence')
    return v !== undefined && v !== null && v !== 'unknown'
  })
  if ((await page.locator('[data-presence]').getAttribute('data-presence')) !== 'yours')
    await page.getByTestId('presence-take-over').click()
  await page.waitForFunction(() => document.querySelector('[data-presence]')?.getAttribute('data-presence') === 'yours')
}
