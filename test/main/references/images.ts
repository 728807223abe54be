// Real image files for the reference tests, made with sharp in the test itself.
import sharp, { type Sharp } from 'sharp'

export const FRAME = { width: 500, height: 500 }

/**
 * A 200 x 100 RGB picture: white with a black box at columns 20..59, rows 10..49. Fitted into
 * a 500 x 500 frame it becomes 500 x 250 at row 125, so the box lands at x 50..149, y 150..249.
 */
export function boxRgb(width = 200, height = 100, box = { x: 20, y: 10, w: 40, h: 40 }): Buffer {
  const data = Buffer.alloc(width * height * 3, 255)
  for (let y = box.y; y < box.y + box.h; y++) data.fill(0, (y * width + box.x) * 3, (y * width + box.x + box.w) * 3)
  return data
}

export const boxImage = (): Sharp => sharp(boxRgb(), { raw: { width: 200, height: 100, channels: 3 } })

export const BOX_IN_FRAME = { x0: 50, x1: 149, y0: 150, y1: 249 }

/** The bounding box of a mask's ink, or null. */
export function inkBounds(
  mask: Uint8Array,
  width: number
): { x0: number; x1: number; y0: number; y1: number; count: number } | null {
  let x0 = Infinity,
    x1 = -1,
    y0 = Infinity,
    y1 = -1,
    count = 0
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue
    const x = p % width
    const y = (p - x) / width
    x0 = Math.min(x0, x)
    x1 = Math.max(x1, x)
    y0 = Math.min(y0, y)
    y1 = Math.max(y1, y)
    count++
  }
  return count === 0 ? null : { x0, x1, y0, y1, count }
}

/** Within `tol` pixels on every side (lossy formats and resampling blur the box's edge). */
export function expectNear(
  actual: ReturnType<typeof inkBounds>,
  expected: { x0: number; x1: number; y0: number; y1: number },
  tol = 2
): void {
  if (!actual) throw new Error('no ink at all')
  for (const k of ['x0', 'x1', 'y0', 'y1'] as const) {
    if (Math.abs(actual[k] - expected[k]) > tol) {
      throw new Error(`ink bounds ${JSON.stringify(actual)} are not within ${tol} px of ${JSON.stringify(expected)}`)
    }
  }
}

/** A line drawing as SVG text: a black box outline and a diagonal, on white. */
export function lineSvg(extra = ''): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
<rect width="200" height="100" fill="#fff"/>
<rect x="20" y="10" width="40" height="40" fill="#000"/>${extra}
</svg>`
}
