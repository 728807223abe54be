import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { POINT_STEPS, snapPoint, snapValue } from '#shared/stroke/snap.ts'
import { curvePressure, isPlaceholderPressure, PRESSURE_CURVES } from '#shared/stroke/pressure.ts'
import {
  CONSTANT_PRESSURE,
  MAX_STROKE_POINTS,
  PenInput,
  toFramePoint,
  type PointerLike,
  type ViewMapping
} from '#renderer/drawing/pen-input.ts'

// The canvas shown at 250 x 250 CSS pixels at (100, 50), for a 500 x 500 frame.
const mapping: ViewMapping = {
  rect: { left: 100, top: 50, width: 250, height: 250 },
  frame: { width: 500, height: 500 },
  flipped: false
}
const settings = { tool: 'pen' as const, sizes: { pen: 3, eraser: 16 } }

function ev(over: Partial<PointerLike> = {}): PointerLike {
  return {
    pointerId: 1,
    pointerType: 'pen',
    button: 0,
    buttons: 1,
    clientX: 150,
    clientY: 100,
    pressure: 0.7,
    tiltX: 20,
    tiltY: -10,
    timeStamp: 1000,
    ...over
  }
}

/** A pen's pressure on the point lattice the studio scores and stores (snap.ts). */
const pressure = (p: number): number => snapValue(p, POINT_STEPS.pressure)

describe('pointer samples to frame points', () => {
  it('puts every number on the point lattice, so what is painted is what is scored and stored', () => {
    const p = toFramePoint(
      ev({ clientX: 150.123456789, clientY: 99.987654321, pressure: 0.333333 }),
      mapping,
      'pen',
      990.1
    )
    expect(p).toEqual(snapPoint(p))
    expect(p.x).toBe(snapValue(((150.123456789 - 100) / 250) * 500, POINT_STEPS.x))
    expect(p.pressure).toBe(pressure(0.333333))
  })

  it('maps CSS pixels to frame pixels, mirrored back when the view is flipped', () => {
    expect(toFramePoint(ev(), mapping, 'pen', 990)).toEqual({
      x: 100,
      y: 100,
      pressure: pressure(0.7),
      tiltX: 20,
      tiltY: -10,
      t: 10
    })
    expect(toFramePoint(ev(), { ...mapping, flipped: true }, 'pen', 1000).x).toBe(400)
  })

  it('gives a mouse and a finger constant full pressure and no tilt; clamps a pen’s', () => {
    expect(toFramePoint(ev({ pressure: 0.9 }), mapping, 'mouse', 1000)).toMatchObject({
      pressure: CONSTANT_PRESSURE,
      tiltX: 0,
      tiltY: 0
    })
    expect(toFramePoint(ev({ pressure: 0 }), mapping, 'touch', 1000).pressure).toBe(CONSTANT_PRESSURE)
    expect(toFramePoint(ev({ pressure: 1.4 }), mapping, 'pen', 1000).pressure).toBe(1)
    expect(toFramePoint(ev({ pressure: NaN }), mapping, 'pen', 1000).pressure).toBe(0)
    expect(CONSTANT_PRESSURE).toBe(1)
  })
})

describe('PenInput', () => {
  it('records every coalesced sample of a move, in order', () => {
    const input = new PenInput()
    const stroke = input.down(ev(), mapping, settings).stroke!
    expect(stroke).toMatchObject({ tool: 'pen', size: 3 })
    const samples = [0, 1, 2].map((i) => ({
      clientX: 160 + i,
      clientY: 100,
      pressure: 0.5 + i / 10,
      tiltX: 0,
      tiltY: 0,
      timeStamp: 1004 + i
    }))
    expect(input.move(ev({ clientX: 162, getCoalescedEvents: () => samples }))).toEqual({ grew: true, finished: [] })
    expect(stroke.points.map((p) => [p.x, p.pressure, p.t])).toEqual([
      [100, pressure(0.7), 0],
      [120, 0.5, 4],
      [122, pressure(0.6), 5],
      [124, pressure(0.7), 6]
    ])
    // The lift adds no sample (a pen reports zero pressure as it lifts).
    expect(input.up(ev({ clientX: 400, pressure: 0 }))).toBe(stroke)
    expect(stroke.points).toHaveLength(4)
    expect(input.drawing).toBeNull()
  })

  it('uses the event itself when there are no coalesced samples (synthetic events)', () => {
    const input = new PenInput()
    const stroke = input.down(ev(), mapping, settings).stroke!
    input.move(ev({ clientX: 170, getCoalescedEvents: () => [] }))
    input.move(ev({ clientX: 180 }))
    expect(stroke.points.map((p) => p.x)).toEqual([100, 140, 160])
  })

  it('erases with the pen’s eraser end whatever tool is selected, and with the eraser tool', () => {
    const input = new PenInput()
    expect(input.down(ev({ button: 5, buttons: 32 }), mapping, settings).stroke).toMatchObject({
      tool: 'eraser',
      size: 16
    })
    input.up(ev())
    expect(input.down(ev({ pointerType: 'mouse' }), mapping, { ...settings, tool: 'eraser' }).stroke).toMatchObject({
      tool: 'eraser',
      size: 16
    })
  })

  it('rejects the palm: once a pen is seen, touch does not draw; a mouse still does', () => {
    const input = new PenInput()
    const touch = ev({ pointerType: 'touch', pointerId: 7 })
    expect(input.down(touch, mapping, settings).stroke).not.toBeNull()
    input.up(touch)
    expect(input.penOnly).toBe(false)
    input.down(ev(), mapping, settings)
    input.up(ev())
    expect(input.penOnly).toBe(true)
    expect(input.down(touch, mapping, settings).stroke).toBeNull()
    expect(input.down(ev({ pointerType: 'mouse', pointerId: 9 }), mapping, settings).stroke).not.toBeNull()
  })

  it('goes on as a new stroke from the same point when a stroke reaches the main side’s limit', () => {
    const input = new PenInput()
    const first = input.down(ev({ timeStamp: 0 }), mapping, settings).stroke!
    const samples = Array.from({ length: MAX_STROKE_POINTS + 5 }, (_, i) => ({
      clientX: 100 + (i % 250),
      clientY: 60,
      pressure: 0.5,
      timeStamp: 1 + i
    }))
    const { finished } = input.move(ev({ getCoalescedEvents: () => samples }))
    expect(finished).toEqual([first])
    expect(first.points).toHaveLength(MAX_STROKE_POINTS)
    const next = input.drawing!
    expect(next).not.toBe(first)
    expect(next.points[0]).toEqual({ ...first.points[first.points.length - 1], t: 0 })
    expect(next.points).toHaveLength(1 + 6) // the join, and the samples after the limit
    expect(next.points[1].t).toBe(1) // times count from the new stroke's start
    expect(input.up(ev())).toBe(next)
  })

  it('clamps tilt to the range the main side accepts', () => {
    expect(toFramePoint(ev({ tiltX: 120, tiltY: -95 }), mapping, 'pen', 1000)).toMatchObject({ tiltX: 90, tiltY: -90 })
  })

  it('draws one stroke at a time and ignores other pointers and buttons', () => {
    const input = new PenInput()
    expect(input.down(ev({ pointerType: 'mouse', button: 2, buttons: 2 }), mapping, settings).stroke).toBeNull()
    const stroke = input.down(ev(), mapping, settings).stroke!
    expect(input.down(ev({ pointerId: 2 }), mapping, settings).stroke).toBeNull()
    expect(input.move(ev({ pointerId: 2, clientX: 300 })).grew).toBe(false)
    expect(input.up(ev({ pointerId: 2 }))).toBeNull()
    expect(stroke.points).toHaveLength(1)
    input.abandon()
    expect(input.move(ev({ clientX: 300 })).grew).toBe(false)
    expect(input.up(ev())).toBeNull()
  })

  it('lets the barrel button erase while held, or do nothing, as set', () => {
    const input = new PenInput()
    const barrelDown = ev({ buttons: 3 })
    expect(input.down(barrelDown, mapping, settings).stroke).toMatchObject({ tool: 'eraser', size: 16 })
    input.up(ev())
    expect(input.down(barrelDown, mapping, { ...settings, barrel: 'nothing' }).stroke).toMatchObject({ tool: 'pen' })
    input.up(ev())
    // The barrel pressed while hovering arrives as a secondary click: it never draws.
    expect(input.down(ev({ button: 2, buttons: 2 }), mapping, settings).stroke).toBeNull()
  })

  it('lets go of a stuck stroke: a move with no button down, or a new press of the same pointer, ends it as drawn', () => {
    const input = new PenInput()
    const first = input.down(ev(), mapping, settings).stroke!
    input.move(ev({ clientX: 160 }))
    expect(input.move(ev({ clientX: 200, buttons: 0 }))).toEqual({ grew: false, finished: [first] })
    expect(first.points).toHaveLength(2) // the hover sample is not ink
    expect(input.drawing).toBeNull()
    const second = input.down(ev(), mapping, settings).stroke!
    const again = input.down(ev({ clientX: 300 }), mapping, settings)
    expect(again.ended).toBe(second)
    expect(again.stroke).not.toBe(second)
    expect(input.drawing).toBe(again.stroke)
  })

  it('ends a cancelled pen or mouse stroke as drawn, and drops a cancelled touch', () => {
    const input = new PenInput()
    const pen = input.down(ev(), mapping, settings).stroke!
    expect(input.cancel(ev({ pointerId: 3 }))).toBeNull()
    expect(input.cancel(ev())).toBe(pen)
    expect(input.drawing).toBeNull()
    const touch = ev({ pointerType: 'touch', pointerId: 5 })
    expect(new PenInput().down(touch, mapping, settings).stroke).not.toBeNull()
    const fresh = new PenInput()
    fresh.down(touch, mapping, settings)
    expect(fresh.cancel(touch)).toBeNull()
    expect(fresh.drawing).toBeNull()
  })
})

describe('pressure', () => {
  it('draws a pen that reports only a placeholder pressure at full width, and a sensing pen through the curve', () => {
    const input = new PenInput()
    const flat = input.down(ev({ pressure: 0.5 }), mapping, settings).stroke!
    input.move(ev({ pressure: 0.5, clientX: 170 }))
    input.up(ev())
    expect(flat.points.map((p) => p.pressure)).toEqual([1, 1])
    expect(input.penPressure).toBe(false)
    // The same pen starts to vary mid-stroke: the whole stroke is redrawn with its pressure.
    const varying = input.down(ev({ pressure: 0.5 }), mapping, { ...settings, curve: 'soft' }).stroke!
    input.move(ev({ pressure: 0.25, clientX: 170 }))
    expect(varying.points.map((p) => p.pressure)).toEqual([snapValue(Math.sqrt(0.5), POINT_STEPS.pressure), 0.5])
    input.up(ev())
    expect(input.penPressure).toBe(true)
    // From then on even a constant 0.5 is this pen's pressure.
    const steady = input.down(ev({ pressure: 0.5 }), mapping, settings).stroke!
    expect(steady.points[0].pressure).toBe(0.5)
    // A mouse stays constant whatever it reports.
    input.up(ev())
    expect(input.down(ev({ pointerType: 'mouse', pressure: 0.5 }), mapping, settings).stroke!.points[0].pressure).toBe(
      1
    )
  })

  it('records exactly what a plain reference rule gives, for any sequence of pen strokes', () => {
    const pressureArb = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }))
    fc.assert(
      fc.property(
        fc.constantFrom(...PRESSURE_CURVES),
        fc.array(fc.array(pressureArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
        (curve, strokes) => {
          const input = new PenInput()
          let seen = false
          for (const raws of strokes) {
            const stroke = input.down(ev({ pressure: raws[0] }), mapping, { ...settings, curve }).stroke!
            for (const [i, p] of raws.slice(1).entries()) input.move(ev({ pressure: p, clientX: 151 + i }))
            input.up(ev())
            // The reference: each sample on the lattice; this stroke senses pressure if the pen did
            // before, or any value is not a placeholder, or the values differ; the curve's value
            // goes back on the lattice.
            const onLattice = raws.map((p) => snapValue(p, POINT_STEPS.pressure))
            seen = seen || onLattice.some((p) => !isPlaceholderPressure(p)) || onLattice.some((p) => p !== onLattice[0])
            expect(stroke.points.map((p) => p.pressure)).toEqual(
              onLattice.map((p) => (seen ? snapValue(curvePressure(curve, p), POINT_STEPS.pressure) : 1))
            )
          }
        }
      ),
      { numRuns: 300 }
    )
  })
})
