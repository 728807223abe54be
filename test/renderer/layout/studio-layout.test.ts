import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { REPORT_WIDTH, studioLayout, type Rect, type Size } from '#renderer/layout/studio-layout.ts'
import { toolbarLevel } from '#renderer/layout/toolbar.ts'
import { frameFor } from '#shared/frame.ts'

const inside = (r: Rect, w: Size): boolean =>
  r.left >= 0 && r.top >= 0 && r.left + r.width <= w.width && r.top + r.height <= w.height
const overlap = (a: Rect, b: Rect): boolean =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height

/** The workspace a window of this size leaves (toolbar 49 px, status bar 35 px). */
const workspaceOf = (width: number, height: number): Size => ({ width, height: height - 49 - 35 })

describe('studio layout', () => {
  it('puts square frames side by side in landscape and one above the other in portrait', () => {
    const square = { width: 500, height: 500 }
    const landscape = studioLayout(workspaceOf(1280, 800), square, false)
    expect(landscape.arrangement).toBe('side-by-side')
    expect(landscape.canvas.left).toBeGreaterThan(landscape.reference.left)
    const portrait = studioLayout(workspaceOf(800, 1200), square, false)
    expect(portrait.arrangement).toBe('stacked')
    expect(portrait.canvas.top).toBeGreaterThan(portrait.reference.top)
    // At 800 x 1200 the panels are over 500 px, not the 330 px of side by side.
    expect(portrait.canvas.width).toBeGreaterThan(500)
  })

  it('stacks a panorama even on a landscape screen, because its panels are larger so', () => {
    const panorama = frameFor(3000, 600, 500)
    expect(panorama).toEqual({ width: 500, height: 100 })
    const l = studioLayout(workspaceOf(1920, 1080), panorama, false)
    expect(l.arrangement).toBe('stacked')
    expect(l.canvas.width / l.canvas.height).toBeCloseTo(5, 1)
    expect(l.canvas.width).toBeGreaterThan(1800)
  })

  it('opens the report beside the panels when there is room, else in the reference panel’s place', () => {
    // The vase (800 x 1000) on a 2560 x 1440 screen leaves room beside its two panels.
    const vase = frameFor(800, 1000, 500)
    const closed = studioLayout(workspaceOf(2560, 1440), vase, false)
    const wide = studioLayout(workspaceOf(2560, 1440), vase, true)
    expect(wide.report?.placement).toBe('beside')
    // The same size; the panels move left only as far as the report needs.
    expect([wide.canvas.width, wide.canvas.height, wide.canvas.top]).toEqual([
      closed.canvas.width,
      closed.canvas.height,
      closed.canvas.top
    ])
    expect(wide.canvas.left + wide.canvas.width + wide.gap).toBe(wide.report!.left)
    // A 4:3 still life fills the width with its panels: the report takes the reference's place.
    const still = studioLayout(workspaceOf(2560, 1440), frameFor(1200, 900, 500), true)
    expect(still.report?.placement).toBe('over-reference')
    const narrow = studioLayout(workspaceOf(1280, 800), { width: 500, height: 500 }, true)
    expect(narrow.report?.placement).toBe('over-reference')
    expect(narrow.report!.width).toBeGreaterThanOrEqual(REPORT_WIDTH)
    const portrait = studioLayout(workspaceOf(800, 1200), { width: 500, height: 500 }, true)
    expect(portrait.report).toMatchObject({ placement: 'over-reference', left: 0, top: 0, width: 800 })
  })

  it('for any window and frame: equal panels of the frame’s aspect, inside, apart, the larger arrangement, and a report that never shrinks or covers the canvas (fuzzed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 320, max: 4000 }),
        fc.integer({ min: 240, max: 2400 }),
        fc.integer({ min: 64, max: 4096 }),
        fc.integer({ min: 64, max: 4096 }),
        fc.boolean(),
        (ww, wh, fw, fh, reportOpen) => {
          const ws = { width: ww, height: wh }
          const frame = { width: fw, height: fh }
          const l = studioLayout(ws, frame, reportOpen)
          expect(l.reference.width).toBe(l.canvas.width)
          expect(l.reference.height).toBe(l.canvas.height)
          // The aspect within a pixel of rounding.
          expect(Math.abs(l.canvas.width - (l.canvas.height * fw) / fh)).toBeLessThanOrEqual(1 + fw / fh)
          expect(inside(l.reference, ws)).toBe(true)
          expect(inside(l.canvas, ws)).toBe(true)
          expect(overlap(l.reference, l.canvas)).toBe(false)
          // The other arrangement would not give larger panels.
          const gap = l.gap
          const otherScale =
            l.arrangement === 'stacked'
              ? Math.min((ww - 2 * gap - gap) / 2 / fw, (wh - 2 * gap) / fh)
              : Math.min((ww - 2 * gap) / fw, (wh - 2 * gap - gap) / 2 / fh)
          expect(l.canvas.width).toBeGreaterThanOrEqual(Math.floor(fw * Math.max(0, otherScale)))
          const closed = studioLayout(ws, frame, false)
          expect([l.canvas.width, l.canvas.height]).toEqual([closed.canvas.width, closed.canvas.height])
          if (reportOpen) {
            expect(l.report).not.toBeNull()
            expect(inside(l.report!, ws)).toBe(true)
            expect(overlap(l.report!, l.canvas)).toBe(false)
            if (l.report!.placement === 'beside') {
              expect(l.report!.width).toBe(REPORT_WIDTH)
              expect(overlap(l.report!, l.reference)).toBe(false)
            }
          } else expect(l.report).toBeNull()
        }
      )
    )
  })
})

describe('toolbar levels', () => {
  it('folds as the window narrows, and never unfolds as it narrows', () => {
    expect(toolbarLevel(2560)).toBe('full')
    expect(toolbarLevel(1024)).toBe('compact')
    expect(toolbarLevel(800)).toBe('narrow')
    const order = ['narrow', 'compact', 'full']
    let last = 0
    for (let w = 300; w <= 3000; w += 7) {
      const k = order.indexOf(toolbarLevel(w))
      expect(k).toBeGreaterThanOrEqual(last)
      last = k
    }
  })
})
