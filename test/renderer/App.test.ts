import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StudioClaim } from '#shared/contract/app.ts'
import type { MenuCommand, SightlineBridge } from '#shared/contract/bridge.ts'
import { StudioError } from '#shared/contract/errors.ts'
import App from '#renderer/App.vue'
import { useDrawingStore } from '#renderer/stores/drawing.ts'
import { usePresenceStore } from '#renderer/stores/presence.ts'
import { useReferencesStore } from '#renderer/stores/references.ts'
import { useSettingsStore } from '#renderer/stores/settings.ts'
import { POINT_STEPS, snapValue } from '#shared/stroke/snap.ts'
import { fakeApi, fakeEvaluation } from './fake-api.ts'

let wrapper: VueWrapper | null = null

async function openStudio(fake = fakeApi()) {
  wrapper = mount(App, { attachTo: document.body })
  await useReferencesStore().connect(fake.api)
  await flushPromises()
  // The canvas is laid out at 250 x 250 CSS pixels at (10, 20): half the 500 x 500 frame.
  const canvas = wrapper.get('[data-testid=drawing-canvas]').element as HTMLCanvasElement
  canvas.getBoundingClientRect = () => ({
    left: 10,
    top: 20,
    width: 250,
    height: 250,
    right: 260,
    bottom: 270,
    x: 10,
    y: 20,
    toJSON: () => ({})
  })
  return { wrapper, fake, surface: wrapper.get('[data-testid=drawing-surface]').element as HTMLElement }
}

let nextPointer = 1
/** A pen stroke of synthetic pointer events (as the e2e eraser check sends them: no coalesced samples). */
function drawStroke(surface: HTMLElement, points: [number, number][], init: PointerEventInit = {}): void {
  const pointerId = nextPointer++
  const base = { pointerId, pointerType: 'pen', pressure: 0.6, bubbles: true, cancelable: true, ...init }
  const at = ([x, y]: [number, number]) => ({ clientX: 10 + x / 2, clientY: 20 + y / 2 })
  surface.dispatchEvent(
    new PointerEvent('pointerdown', { ...base, ...at(points[0]), button: init.button ?? 0, buttons: init.buttons ?? 1 })
  )
  for (const p of points.slice(1))
    surface.dispatchEvent(
      new PointerEvent('pointermove', { ...base, ...at(p), button: -1, buttons: init.buttons ?? 1 })
    )
  surface.dispatchEvent(
    new PointerEvent('pointerup', {
      ...base,
      ...at(points[points.length - 1]),
      button: init.button ?? 0,
      buttons: 0,
      pressure: 0
    })
  )
}
const line = (y: number): [number, number][] => Array.from({ length: 12 }, (_, i) => [60 + i * 30, y])
const liveScore = (w: VueWrapper) => w.find('[data-testid=live-score]')
const press = (key: string, init: KeyboardEventInit = {}, target: EventTarget = window) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }))

describe('the studio', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    let n = 0
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:ref-${++n}`)
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    delete (window as { sightline?: SightlineBridge }).sightline
    vi.restoreAllMocks()
  })

  it('shows the first reference beside the canvas and starts an attempt at it', async () => {
    const { wrapper: w, fake } = await openStudio()
    const img = w.get('[data-testid=reference]')
    expect(img.attributes('src')).toBe('blob:ref-1')
    expect(img.attributes('alt')).toBe('Reference: Cube')
    expect(w.find('[data-testid=drawing-canvas]').exists()).toBe(true)
    expect(fake.calls).toEqual(['resume', 'start bundled:cube'])
    expect(liveScore(w).text()).toBe('') // no drawing yet: empty, not 0
    expect(w.get('[data-testid=stroke-count]').text()).toBe('0 strokes')
  })

  it('commits a pen stroke at pen-up and shows its score with one decimal', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    drawStroke(surface, line(200))
    await flushPromises()
    const attempt = [...fake.attempts.values()][0]
    expect(attempt.ops).toHaveLength(1)
    const stroke = (
      attempt.ops[0] as { stroke: { tool: string; size: number; points: { x: number; y: number; pressure: number }[] } }
    ).stroke
    expect(stroke.tool).toBe('pen')
    expect(stroke.size).toBe(3)
    // Frame pixels, not CSS pixels; every sample kept.
    expect(stroke.points.map((p) => [p.x, p.y])).toEqual(line(200))
    // The pen's 0.6, on the point lattice the studio scores and stores (snap.ts).
    expect(stroke.points[0].pressure).toBe(snapValue(0.6, POINT_STEPS.pressure))
    const expected = fakeEvaluation(attempt.ops, 1)
    expect(expected.status).toBe('scored')
    expect(liveScore(w).text()).toBe(expected.status === 'scored' ? expected.top5Error.toFixed(1) : 'x')
    expect(liveScore(w).attributes('data-cursor')).toBe('1')
    expect(w.get('[data-testid=stroke-count]').text()).toBe('1 stroke')
    expect(document.activeElement).toBe(surface) // the drawing has the focus after drawing
  })

  it('never waits for the main side: ink is committed at once, the score follows', async () => {
    const fake = fakeApi({}, { manual: true })
    wrapper = mount(App, { attachTo: document.body })
    void useReferencesStore().connect(fake.api)
    await flushPromises()
    fake.release() // the attempt starts
    await flushPromises()
    const canvas = wrapper.get('[data-testid=drawing-canvas]').element as HTMLCanvasElement
    canvas.getBoundingClientRect = () => ({
      left: 10,
      top: 20,
      width: 250,
      height: 250,
      right: 260,
      bottom: 270,
      x: 10,
      y: 20,
      toJSON: () => ({})
    })
    const surface = wrapper.get('[data-testid=drawing-surface]').element as HTMLElement
    drawStroke(surface, line(100))
    drawStroke(surface, line(300))
    await flushPromises()
    const drawing = useDrawingStore()
    expect(drawing.history.cursor).toBe(2)
    expect(liveScore(wrapper).attributes('data-pending')).toBe('true')
    while (fake.release()) await flushPromises()
    expect(liveScore(wrapper).attributes('data-pending')).toBe('false')
    expect(liveScore(wrapper).attributes('data-cursor')).toBe('2')
  })

  it('undo and redo (buttons and keys) restore the earlier scores; clear is undoable', async () => {
    const { wrapper: w, surface } = await openStudio()
    drawStroke(surface, line(100))
    await flushPromises()
    const first = liveScore(w).text()
    drawStroke(surface, line(300))
    await flushPromises()
    const second = liveScore(w).text()
    expect(second).not.toBe(first)
    await w.get('[data-testid=undo]').trigger('click')
    await flushPromises()
    expect(liveScore(w).text()).toBe(first)
    await w.get('[data-testid=redo]').trigger('click')
    await flushPromises()
    expect(liveScore(w).text()).toBe(second)
    press('z', { ctrlKey: true })
    await flushPromises()
    expect(liveScore(w).text()).toBe(first)
    press('Z', { ctrlKey: true, shiftKey: true })
    await flushPromises()
    expect(liveScore(w).text()).toBe(second)
    await w.get('[data-testid=clear]').trigger('click')
    await flushPromises()
    expect(liveScore(w).text()).toBe('')
    // The count is what is on the canvas: none after a clear.
    expect(w.get('[data-testid=stroke-count]').text()).toBe('0 strokes')
    expect(w.get('[data-testid=clear]').attributes('disabled')).toBeDefined()
    press('y', { ctrlKey: true }) // nothing to redo: no change
    press('z', { metaKey: true })
    await flushPromises()
    expect(liveScore(w).text()).toBe(second)
    expect(w.get('[data-testid=stroke-count]').text()).toBe('2 strokes')
  })

  it('erases with the pen’s eraser end (buttons 32)', async () => {
    const { fake, surface } = await openStudio()
    drawStroke(surface, line(200))
    drawStroke(surface, line(200), { button: 5, buttons: 32 })
    await flushPromises()
    const ops = [...fake.attempts.values()][0].ops as { stroke: { tool: string; size: number } }[]
    expect(ops.map((o) => [o.stroke.tool, o.stroke.size])).toEqual([
      ['pen', 3],
      ['eraser', 16]
    ])
  })

  it('evaluates with Tab from the drawing: the report, placement apart from shape, and the heatmap over the canvas', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    press('Tab', {}, surface)
    await flushPromises()
    expect(w.get('[data-testid=report-empty]').text()).toContain('Nothing drawn yet')
    expect(w.find('[data-testid=heatmap-overlay]').exists()).toBe(false)
    press('Escape')
    await flushPromises()
    drawStroke(surface, line(250))
    await flushPromises()
    press('Tab', {}, surface)
    await flushPromises()
    const report = w.get('[data-testid=report]')
    expect(report.get('[data-testid=report-top5]').text()).toBe(`${liveScore(w).text()}%`)
    expect(report.get('[data-testid=report-precision]').text()).toBe('50 %')
    expect(report.get('[data-testid=report-extra]').text()).toContain('1.3 %')
    // The full evaluation: placement, size and rotation in words, and what top-5 counts.
    expect(report.get('[data-testid=report-alignment]').text()).toBe(
      'Placement: 12 px right, 8 px up. Size: 10 % too small. Rotation: 3 degrees clockwise. Shape error once aligned: 1.2 %.'
    )
    expect(report.get('[data-testid=report-top5-meaning]').text()).toContain('counts where the drawing sits')
    expect(report.get('[data-testid=report-proportion]').text()).toContain('0.90 x as wide, 0.92 x as tall')
    // The overlay is the main side's frame-sized picture, over the whole canvas, with its scale on screen.
    const picture = w.get('[data-testid=heatmap-overlay] [data-testid=heatmap-picture]')
    expect(picture.attributes('src')).toMatch(/^blob:/)
    expect(w.get('[data-testid=heatmap-legend]').text()).toContain('10 % +')
    const overlays = (): string[] => fake.calls.filter((c) => c.startsWith('overlay'))
    expect(overlays()).toEqual(['overlay heatmap combined raw 1'])
    await w.get('[data-testid=heatmap-view-drawing]').trigger('click')
    await flushPromises()
    expect(overlays().at(-1)).toBe('overlay heatmap drawing raw 1')
    // A new stroke while the report is open brings a new picture and a new full evaluation.
    drawStroke(surface, line(350))
    await flushPromises()
    expect(overlays()).toHaveLength(3)
    expect(fake.calls.filter((c) => c.startsWith('evaluate'))).toHaveLength(2)
    // Tab elsewhere moves focus as usual; with the drawing focused it toggles the report.
    press('Tab', {}, surface)
    await flushPromises()
    expect(w.find('[data-testid=report]').exists()).toBe(false)
    await w.get('[data-testid=evaluate]').trigger('click')
    expect(w.find('[data-testid=report]').exists()).toBe(true)
  })

  it('compares in five ways, as drawn or aligned, each with what it needs from the main side', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    drawStroke(surface, line(250))
    await flushPromises()
    await w.get('[data-testid=evaluate]').trigger('click')
    await flushPromises()
    const last = (): string | undefined => fake.calls.filter((c) => c.startsWith('overlay')).at(-1)
    await w.get('[data-testid=comparison-match]').trigger('click')
    await flushPromises()
    expect(last()).toBe('overlay match combined raw 1')
    expect(w.get('[data-testid=match-legend]').text()).toContain('within 5 px')
    await w.get('[data-testid=comparison-aligned]').trigger('click')
    await flushPromises()
    expect(last()).toBe('overlay match combined aligned 1')
    // Onion skin: the reference's ink as a mask in a second hue, at the slider's opacity.
    await w.get('[data-testid=comparison-onion]').trigger('click')
    await flushPromises()
    expect(last()).toBe('overlay reference combined aligned 1')
    await w.get('[data-testid=onion-opacity]').setValue('0.3')
    const onion = w.get('[data-testid=onion-overlay]').element as HTMLElement
    expect(onion.style.opacity).toBe('0.3')
    expect(onion.style.maskImage).toMatch(/blob:/)
    // Flicker: the drawing, and the reference while R (or the button) is held; a label says which.
    await w.get('[data-testid=comparison-flicker]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=flicker-label]').text()).toBe('My drawing')
    press('r')
    await flushPromises()
    expect(w.get('[data-testid=flicker-label]').text()).toBe('Reference')
    window.dispatchEvent(new KeyboardEvent('keyup', { key: 'r' }))
    await flushPromises()
    expect(w.get('[data-testid=flicker-label]').text()).toBe('My drawing')
    await w.get('[data-testid=flicker-hold]').trigger('pointerdown')
    expect(w.get('[data-testid=flicker-label]').text()).toBe('Reference')
    await w.get('[data-testid=flicker-hold]').trigger('pointerup')
    expect(w.get('[data-testid=flicker-label]').text()).toBe('My drawing')
    // Swipe: the reference left of the divider.
    await w.get('[data-testid=comparison-swipe]').trigger('click')
    await w.get('[data-testid=swipe-position]').setValue('0.25')
    expect((w.get('[data-testid=swipe-divider]').element as HTMLElement).style.left).toBe('25%')
    // The reference layer is fetched once for onion, flicker and swipe alike.
    expect(fake.calls.filter((c) => c.startsWith('overlay reference'))).toHaveLength(1)
  })

  it('shades the grid cells from the scores when the heatmap picture cannot be made', async () => {
    const { wrapper: w, surface } = await openStudio(
      fakeApi({ attemptOverlay: async () => Promise.reject(new StudioError('internal', 'sharp is missing')) })
    )
    drawStroke(surface, line(250))
    await flushPromises()
    await w.get('[data-testid=evaluate]').trigger('click')
    await flushPromises()
    const overlay = w.get('[data-testid=heatmap-overlay]')
    expect(overlay.find('[data-testid=heatmap-picture]').exists()).toBe(false)
    expect(overlay.findAll('.worst')).toHaveLength(5)
    expect(overlay.findAll('.worst text').map((t) => t.text())).toEqual(['1', '2', '3', '4', '5'])
    expect(w.get('[data-testid=report]').text()).toContain('sharp is missing')
  })

  it('exports as downloads from the host', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    const clicked: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download)
    })
    drawStroke(surface, line(250))
    await flushPromises()
    await w.get('[data-testid=evaluate]').trigger('click')
    await w.get('[data-testid=export]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain('export combined')
    expect(clicked).toEqual(['attempt-1.json'])
    expect(w.get('[data-testid=export-note]').text()).toBe('Downloaded attempt-1.json')
    click.mockRestore()
  })

  it('hides the score until Evaluate in that feedback mode, and again after the next stroke (B picks the next mode)', async () => {
    const { wrapper: w, surface } = await openStudio()
    press('b')
    await flushPromises()
    expect((w.get('[data-testid=feedback-mode]').element as HTMLSelectElement).value).toBe('on-evaluate')
    drawStroke(surface, line(250))
    await flushPromises()
    expect(liveScore(w).exists()).toBe(false)
    expect(w.get('[data-testid=live-score-hidden]').text()).toBe('until Evaluate')
    expect(w.find('[data-testid=stroke-feedback]').exists()).toBe(false)
    await w.get('[data-testid=evaluate]').trigger('click')
    expect(w.find('[data-testid=report-top5]').exists()).toBe(true)
    drawStroke(surface, line(350))
    await flushPromises()
    expect(w.find('[data-testid=report]').exists()).toBe(false)
    await w.get('[data-testid=feedback-mode]').setValue('live')
    expect(liveScore(w).text()).not.toBe('')
  })

  it('memory drawing shows the reference for the chosen seconds, then hides it (and the score) until Evaluate', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] })
    try {
      const { wrapper: w, surface } = await openStudio()
      await w.get('[data-testid=feedback-mode]').setValue('memory')
      await flushPromises()
      expect(w.get('[data-testid=memory-countdown]').text()).toBe('Look: 30 s')
      vi.advanceTimersByTime(10_000)
      await flushPromises()
      expect(w.get('[data-testid=memory-countdown]').text()).toBe('Look: 20 s')
      vi.advanceTimersByTime(20_500)
      await flushPromises()
      expect(w.find('[data-testid=reference]').exists()).toBe(false)
      expect(w.get('[data-testid=reference-hidden]').text()).toContain('Drawing from memory')
      drawStroke(surface, line(250))
      await flushPromises()
      expect(w.find('[data-testid=live-score-hidden]').exists()).toBe(true)
      press('Tab', {}, surface)
      await flushPromises()
      expect(w.find('[data-testid=reference]').exists()).toBe(true)
      expect(w.find('[data-testid=report-top5]').exists()).toBe(true)
      // A new attempt: look again.
      press('n', { ctrlKey: true })
      await flushPromises()
      expect(w.get('[data-testid=memory-countdown]').text()).toBe('Look: 30 s')
    } finally {
      vi.useRealTimers()
    }
  })

  it('tints the stroke just drawn by its error and shows the change of the score at pen-up; a setting turns it off', async () => {
    const { wrapper: w, surface } = await openStudio()
    drawStroke(surface, line(250))
    await flushPromises()
    // The first stroke: its tint, no change to show yet.
    expect(w.get('[data-testid=stroke-tint]').attributes('data-percent')).toBe('1.25')
    expect(w.find('[data-testid=stroke-delta]').exists()).toBe(false)
    const top5 = (): number => {
      const e = useDrawingStore().evaluation
      return e?.status === 'scored' ? e.top5Error : NaN
    }
    const before = top5()
    drawStroke(surface, line(350))
    await flushPromises()
    expect(w.get('[data-testid=stroke-delta]').text()).toBe(`+${(top5() - before).toFixed(1)}`)
    // Undo is not a stroke: nothing to say.
    press('z', { ctrlKey: true })
    await flushPromises()
    expect(w.find('[data-testid=stroke-feedback]').exists()).toBe(false)
    useSettingsStore().update({ feedback: { strokeFeedback: false } })
    drawStroke(surface, line(400))
    await flushPromises()
    expect(w.find('[data-testid=stroke-feedback]').exists()).toBe(false)
  })

  it('runs the desktop menu’s commands, and leaves the menu’s keys to it', async () => {
    let send: ((c: MenuCommand) => void) | null = null
    const unsubscribe = vi.fn()
    ;(window as { sightline?: Partial<SightlineBridge> }).sightline = {
      onMenuCommand: (cb) => {
        send = cb
        return unsubscribe
      }
    }
    const { wrapper: w, surface } = await openStudio()
    drawStroke(surface, line(250))
    await flushPromises()
    send!('toggle-grid')
    await flushPromises()
    expect(w.findAll('[data-testid=grid-overlay]')).toHaveLength(2) // on the reference and on the drawing
    press('z', { ctrlKey: true }) // the menu owns Ctrl+Z in the desktop app
    await flushPromises()
    expect(useDrawingStore().history.cursor).toBe(1)
    send!('undo')
    await flushPromises()
    expect(useDrawingStore().history.cursor).toBe(0)
    send!('toggle-flip')
    await flushPromises()
    expect(w.get('[data-testid=drawing-surface]').classes()).toContain('flipped')
    send!('show-shortcuts')
    await flushPromises()
    expect(w.find('[data-testid=shortcuts]').exists()).toBe(true)
    w.unmount()
    wrapper = null
    expect(unsubscribe).toHaveBeenCalled()
  })

  it('maps strokes through a flipped view back to the unflipped frame', async () => {
    const { fake, surface } = await openStudio()
    press('f')
    await flushPromises()
    drawStroke(surface, [
      [100, 100],
      [150, 120]
    ])
    await flushPromises()
    const stroke = ([...fake.attempts.values()][0].ops[0] as { stroke: { points: { x: number }[] } }).stroke
    expect(stroke.points.map((p) => p.x)).toEqual([400, 350])
  })

  it('switches reference from the gallery, which starts a new attempt; Undo brings the last one back', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    drawStroke(surface, line(250))
    await flushPromises()
    press('o', { ctrlKey: true })
    await flushPromises()
    const gallery = w.get('[data-testid=gallery]')
    // One list at a time, so nothing is listed twice; the bundled drawings a click away.
    expect(gallery.findAll('nav.tabs button').map((b) => b.text())).toEqual([
      'Recent 1',
      'Bundled drawings 2',
      'Your library 0'
    ])
    expect(gallery.findAll('[data-testid^=recent-item-]').map((b) => b.attributes('data-testid'))).toEqual([
      'recent-item-bundled:cube'
    ])
    await w.get('[data-testid="gallery-tab-bundled"]').trigger('click')
    expect(gallery.findAll('img').length).toBeGreaterThanOrEqual(2) // thumbnails
    await w.get('[data-testid="gallery-item-bundled:vase"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=gallery]').exists()).toBe(false)
    expect(w.get('[data-testid=reference]').attributes('alt')).toBe('Reference: Vase')
    expect(fake.calls.filter((c) => c.startsWith('start'))).toEqual(['start bundled:cube', 'start bundled:vase'])
    expect(useDrawingStore().history.cursor).toBe(0)
    expect(liveScore(w).text()).toBe('')
    // The last attempt is kept, and can come back.
    expect(w.get('[data-testid=set-aside-toast]').text()).toContain('1 stroke')
    await w.get('[data-testid=set-aside-undo]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=set-aside-toast]').exists()).toBe(false)
    expect(w.get('[data-testid=reference]').attributes('alt')).toBe('Reference: Cube')
    expect(useDrawingStore().history.cursor).toBe(1)
    expect(fake.calls).toContain('continue a1')
    // Its finish went out before it was reopened, so the main side handles them in that order.
    const finishedAt = fake.calls.findIndex((c) => c.startsWith('finish a1'))
    expect(finishedAt).toBeGreaterThanOrEqual(0)
    expect(finishedAt).toBeLessThan(fake.calls.indexOf('continue a1'))
    // The recent list now leads with the cube again, then the vase.
    press('o', { ctrlKey: true })
    await flushPromises()
    expect(w.findAll('[data-testid^=recent-item-]').map((b) => b.attributes('data-testid'))).toEqual([
      'recent-item-bundled:cube',
      'recent-item-bundled:vase'
    ])
  })

  it('imports a chosen image file into the library and opens it; a refused file says why', async () => {
    const { wrapper: w, fake } = await openStudio()
    await w.get('[data-testid=open-reference]').trigger('click')
    await flushPromises()
    const input = w.get('[data-testid=file-input]').element as HTMLInputElement
    const choose = async (file: File) => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true })
      input.dispatchEvent(new Event('change'))
      await flushPromises()
    }
    await choose(new File([new Uint8Array([1, 2, 3])], 'notes.txt', { type: 'text/plain' }))
    expect(w.get('[data-testid=import-error]').text()).toBe('notes.txt: not an image sharp can read')
    expect(w.get('[data-testid=reference]').attributes('alt')).toBe('Reference: Cube') // nothing changed
    const huge = new File([new Uint8Array(4)], 'huge.png')
    Object.defineProperty(huge, 'size', { value: 200e6 })
    await choose(huge)
    expect(w.get('[data-testid=import-error]').text()).toContain('a reference may be at most 100 MB')
    await choose(new File([new Uint8Array(40)], 'my still life.png', { type: 'image/png' }))
    expect(fake.calls).toContain('import my still life.png 40')
    expect(w.find('[data-testid=gallery]').exists()).toBe(false)
    expect(w.get('[data-testid=reference]').attributes('alt')).toBe('Reference: my still life')
    expect(fake.calls.filter((c) => c.startsWith('start'))).toEqual(['start bundled:cube', 'start lib:40'])
  })

  it('adjusts the reference’s ink with a live preview, then starts a new attempt against it', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    drawStroke(surface, line(250))
    await flushPromises()
    await w.get('[data-testid=reference-ink]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain('preview bundled:cube {"mode":"threshold","threshold":128}') // its current settings
    expect(w.get('[data-testid=ink-count]').text()).toBe('1,280 ink pixels')
    await w.get('[data-testid=ink-mode-outline]').trigger('click')
    await flushPromises()
    await w.get('[data-testid=ink-threshold]').setValue('240')
    await flushPromises()
    expect(fake.calls).toContain('preview bundled:cube {"mode":"outline","threshold":240}')
    expect(w.get('[data-testid=ink-count]').text()).toContain('No ink at these settings')
    expect(w.get('[data-testid=ink-apply]').attributes('disabled')).toBeDefined()
    await w.get('[data-testid=ink-threshold]').setValue('40')
    await flushPromises()
    await w.get('[data-testid=ink-apply]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain('set ink bundled:cube {"mode":"outline","threshold":40}')
    expect(w.find('[data-testid=ink-dialog]').exists()).toBe(false)
    // The reference lines changed: a new, empty attempt at the same reference.
    expect(fake.calls.filter((c) => c.startsWith('start'))).toEqual(['start bundled:cube', 'start bundled:cube'])
    expect(useDrawingStore().history.cursor).toBe(0)
  })

  it('opens an image dropped on the window', async () => {
    const { wrapper: w, fake } = await openStudio()
    const file = new File([new Uint8Array(12)], 'dropped.png', { type: 'image/png' })
    const dragEvent = (type: string) => {
      const e = new Event(type, { bubbles: true, cancelable: true })
      Object.defineProperty(e, 'dataTransfer', { value: { types: ['Files'], files: [file], dropEffect: 'none' } })
      return e
    }
    window.dispatchEvent(dragEvent('dragover'))
    await flushPromises()
    expect(w.find('[data-testid=drop-target]').exists()).toBe(true)
    const drop = dragEvent('drop')
    window.dispatchEvent(drop)
    expect(drop.defaultPrevented).toBe(true) // the browser does not open the file in place of the studio
    await flushPromises()
    expect(w.find('[data-testid=drop-target]').exists()).toBe(false)
    expect(fake.calls).toContain('import dropped.png 12')
    expect(w.get('[data-testid=reference]').attributes('alt')).toBe('Reference: dropped')
  })

  it('tool keys and the size control set the stroke’s tool and size', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    press(']')
    press('e')
    press('[')
    await flushPromises()
    drawStroke(surface, line(250))
    await flushPromises()
    press('p')
    await flushPromises()
    await w.get('[data-testid=tool-size]').setValue('0')
    drawStroke(surface, line(150))
    await flushPromises()
    const ops = [...fake.attempts.values()][0].ops as { stroke: { tool: string; size: number } }[]
    expect(ops.map((o) => [o.stroke.tool, o.stroke.size])).toEqual([
      ['eraser', 10],
      ['pen', 1]
    ])
  })

  it('starts the timer at the first stroke and pauses it while the window is hidden', async () => {
    const { wrapper: w, surface } = await openStudio()
    const drawing = useDrawingStore()
    expect(drawing.clock.started).toBe(false)
    drawStroke(surface, line(250))
    await flushPromises()
    expect(drawing.clock.since).not.toBeNull()
    Object.defineProperty(document, 'hidden', { value: true, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    expect(drawing.clock.since).toBeNull()
    const paused = drawing.elapsed(performance.now())
    expect(drawing.elapsed(performance.now() + 60_000)).toBe(paused)
    Object.defineProperty(document, 'hidden', { value: false, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    expect(drawing.clock.since).not.toBeNull()
    expect(w.get('[data-testid=timer]').text()).toMatch(/^0:0\d$/)
  })

  it('carries on with a drawing left unfinished, timer included', async () => {
    const stroke = (y: number) => ({
      tool: 'pen' as const,
      size: 3,
      points: line(y).map(([x, yy]) => ({ x, y: yy, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }))
    })
    const fake = fakeApi(
      {},
      {
        unfinished: {
          referenceId: 'bundled:vase',
          ops: [
            { kind: 'stroke', stroke: stroke(100) },
            { kind: 'stroke', stroke: stroke(300) }
          ],
          cursor: 1,
          activeMs: 75_000
        }
      }
    )
    const { wrapper: w } = await openStudio(fake)
    expect(fake.calls).toEqual(['resume']) // no new attempt
    expect(w.get('[data-testid=reference]').attributes('alt')).toBe('Reference: Vase')
    expect(useDrawingStore().history.cursor).toBe(1)
    expect(w.get('[data-testid=redo]').attributes('disabled')).toBeUndefined()
    const resumed = fakeEvaluation(fake.attempts.get('a0')!.ops, 1)
    expect(resumed.status).toBe('scored')
    expect(liveScore(w).text()).toBe(resumed.status === 'scored' ? resumed.top5Error.toFixed(1) : 'unscored')
    expect(w.get('[data-testid=timer]').text()).toBe('1:15')
    expect(w.text()).toContain('Carried on with the drawing left unfinished')
    await w.get('[data-testid=redo]').trigger('click')
    await flushPromises()
    expect(fake.attempts.get('a0')!.cursor).toBe(2)
    await w.get('[data-testid=new-attempt]').trigger('click')
    await flushPromises()
    expect(w.text()).not.toContain('Carried on')
  })

  it('keeps the attempt in the history when a new one starts, and says when it is not saved', async () => {
    const fake = fakeApi({}, { saveProblem: 'the history database is read-only' })
    const { wrapper: w, surface } = await openStudio(fake)
    drawStroke(surface, line(250))
    await flushPromises()
    expect(w.get('[data-testid=save-problem]').text()).toContain('the history database is read-only')
    await w.get('[data-testid=new-attempt]').trigger('click')
    await flushPromises()
    expect(fake.calls.filter((c) => /^(start|finish)/.test(c)).map((c) => c.replace(/ \d+$/, ''))).toEqual([
      'start bundled:cube',
      'start bundled:cube',
      'finish a1'
    ])
    expect(fake.finished.map((a) => a.ops.length)).toEqual([1])
  })

  it('shows the main side’s error in the status bar', async () => {
    const { wrapper: w } = await openStudio(
      fakeApi({
        getReferenceImage: async () => Promise.reject(new StudioError('not-found', 'no reference with id "x"'))
      })
    )
    expect(w.get('[role=alert]').text()).toBe('no reference with id "x"')
  })

  it('says why there is no score when the attempt could not start, and keeps the ink', async () => {
    const { wrapper: w, surface } = await openStudio(
      fakeApi({ startAttempt: async () => Promise.reject(new StudioError('evaluator', 'the evaluator did not start')) })
    )
    drawStroke(surface, line(250))
    await flushPromises()
    expect(useDrawingStore().history.cursor).toBe(1)
    expect(w.get('[role=alert]').text()).toBe(
      'could not start an attempt at this reference: the evaluator did not start'
    )
    await w.get('[data-testid=evaluate]').trigger('click')
    expect(w.get('[data-testid=report-unavailable]').text()).toContain('the evaluator did not start')
  })

  it('says plainly when the studio is open in another tab, and takes it over when asked', async () => {
    let holder = 'other'
    const claims: boolean[] = []
    const fake = fakeApi({
      claimStudio: async ({ windowId, takeOver }: { windowId: string; takeOver: boolean }): Promise<StudioClaim> => {
        claims.push(takeOver)
        if (takeOver) holder = windowId
        return holder === windowId ? { state: 'yours' } : { state: 'elsewhere' }
      },
      studioHeartbeat: async ({ windowId }: { windowId: string }): Promise<StudioClaim> =>
        holder === windowId ? { state: 'yours' } : { state: 'taken-over' },
      releaseStudio: async () => {}
    })
    wrapper = mount(App, { attachTo: document.body })
    await useReferencesStore().connect(fake.api)
    await flushPromises()
    const notice = wrapper.get('[data-testid=presence-notice]')
    expect(notice.attributes('data-state')).toBe('elsewhere')
    expect(notice.text()).toContain('The studio is open in another tab or window')
    // Nothing started behind the notice.
    expect(fake.calls).toEqual([])
    await wrapper.get('[data-testid=presence-take-over]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=presence-notice]').exists()).toBe(false)
    expect(claims).toEqual([false, true])
    expect(fake.calls).toEqual(['resume', 'start bundled:cube'])
    // Another window takes it: this one hears so at its next heartbeat.
    holder = 'third'
    await usePresenceStore().heartbeat()
    await flushPromises()
    expect(wrapper.get('[data-testid=presence-notice]').attributes('data-state')).toBe('taken-over')
    expect(wrapper.get('[data-testid=presence-notice]').text()).toContain('Taken over by another tab or window')
  })

  it('keeps the Undo of the last attempt with strokes when New is pressed again on an empty one', async () => {
    const { wrapper: w, fake, surface } = await openStudio()
    drawStroke(surface, line(250))
    drawStroke(surface, line(300))
    await flushPromises()
    press('n', { ctrlKey: true })
    await flushPromises()
    press('n', { ctrlKey: true })
    await flushPromises()
    expect(w.get('[data-testid=set-aside-toast]').text()).toContain('2 strokes')
    await w.get('[data-testid=set-aside-undo]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=stroke-count]').text()).toBe('2 strokes')
    expect(fake.calls.filter((c) => c.startsWith('continue'))).toEqual(['continue a1'])
    // Drawing on is the sign the attempt is wanted: no Undo on offer then.
    drawStroke(surface, line(350))
    await flushPromises()
    expect(w.find('[data-testid=set-aside-toast]').exists()).toBe(false)
    expect([...fake.attempts.values()].find((a) => a.attemptId === 'a1')?.cursor).toBe(3)
  })
})
