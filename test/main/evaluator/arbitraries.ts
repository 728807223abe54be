// Random frames, references and edit sequences for property tests.
import fc from 'fast-check'

export interface Frame {
  width: number
  height: number
}

export type Shape =
  | { kind: 'line'; y0: number; x0: number; y1: number; x1: number; radius: number }
  | { kind: 'box'; y: number; x: number; h: number; w: number }
  | { kind: 'dots'; points: [number, number][] }

export type Event =
  | { op: 'add'; shape: Shape }
  | { op: 'erase'; shape: Shape }
  | { op: 'clear' }
  | { op: 'undo' }
  | { op: 'redo' }
  | { op: 'reset' }

/** Sizes from the spec's minimum up, square and not, including sides 10 does not divide. */
export const frameArb: fc.Arbitrary<Frame> = fc.record({
  width: fc.constantFrom(64, 67, 73, 80, 97, 100, 123),
  height: fc.constantFrom(64, 71, 79, 90, 101, 110)
})

const unit = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

export const shapeArb: fc.Arbitrary<Shape> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('line' as const),
      y0: unit,
      x0: unit,
      y1: unit,
      x1: unit,
      radius: fc.integer({ min: 0, max: 3 })
    })
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('box' as const), y: unit, x: unit, h: unit, w: unit }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('dots' as const),
      points: fc.array(fc.tuple(unit, unit), { minLength: 1, maxLength: 12 })
    })
  }
)

export const eventArb: fc.Arbitrary<Event> = fc.oneof(
  { weight: 18, arbitrary: fc.record({ op: fc.constant('add' as const), shape: shapeArb }) },
  { weight: 9, arbitrary: fc.record({ op: fc.constant('erase' as const), shape: shapeArb }) },
  { weight: 6, arbitrary: fc.constant({ op: 'undo' as const }) },
  { weight: 3, arbitrary: fc.constant({ op: 'redo' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'reset' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) }
)

/** Pixel indices of a shape in a frame (may repeat; never outside the frame). */
export function shapePixels(shape: Shape, { width, height }: Frame): number[] {
  const out: number[] = []
  const put = (y: number, x: number): void => {
    if (y >= 0 && y < height && x >= 0 && x < width) out.push(y * width + x)
  }
  if (shape.kind === 'dots') {
    for (const [u, v] of shape.points) put(Math.floor(u * height), Math.floor(v * width))
  } else if (shape.kind === 'box') {
    const y = Math.floor(shape.y * height),
      x = Math.floor(shape.x * width)
    const h = 1 + Math.floor(shape.h * height * 0.3),
      w = 1 + Math.floor(shape.w * width * 0.3)
    for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) put(y + dy, x + dx)
  } else {
    const y0 = shape.y0 * height,
      x0 = shape.x0 * width,
      y1 = shape.y1 * height,
      x1 = shape.x1 * width
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(y1 - y0), Math.abs(x1 - x0))))
    for (let s = 0; s <= steps; s++) {
      const y = Math.round(y0 + ((y1 - y0) * s) / steps),
        x = Math.round(x0 + ((x1 - x0) * s) / steps)
      for (let dy = -shape.radius; dy <= shape.radius; dy++)
        for (let dx = -shape.radius; dx <= shape.radius; dx++) put(y + dy, x + dx)
    }
  }
  return out
}

/** A reference made of shapes; at least one ink pixel. */
export const referenceArb = (frame: Frame): fc.Arbitrary<Uint8Array> =>
  fc
    .array(shapeArb, { minLength: 1, maxLength: 5 })
    .map((shapes) => {
      const mask = new Uint8Array(frame.width * frame.height)
      for (const s of shapes) for (const p of shapePixels(s, frame)) mask[p] = 1
      return mask
    })
    // A line rounding past the frame edge can leave nothing; an empty reference is a separate test.
    .filter((mask) => mask.includes(1))
