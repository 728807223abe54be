// The drawing alone, as the user drew it: black ink on white, at 1x or 2x the frame.
import sharp from 'sharp'
import type { FrameSize } from '#shared/contract/api.ts'
import type { RenderScale } from './heatmap.ts'

/** The drawing's ink as a mask (width * height bytes, 1 = ink) or as row-major pixel indices. */
export type DrawingInk = { mask: Uint8Array } | { pixels: ArrayLike<number> }

export async function renderDrawingPng(frame: FrameSize, ink: DrawingInk, scale: RenderScale = 1): Promise<Buffer> {
  const { width, height } = frame
  const grey = Buffer.alloc(width * height, 255)
  if ('mask' in ink) {
    if (ink.mask.length !== width * height)
      throw new Error(`a drawing mask of ${ink.mask.length} bytes for a ${width} x ${height} frame`)
    for (let p = 0; p < grey.length; p++) if (ink.mask[p]) grey[p] = 0
  } else {
    for (let n = 0; n < ink.pixels.length; n++) {
      const p = ink.pixels[n]
      if (!(Number.isInteger(p) && p >= 0 && p < grey.length))
        throw new Error(`drawing pixel ${p} is outside the ${width} x ${height} frame`)
      grey[p] = 0
    }
  }
  let image = sharp(grey, { raw: { width, height, channels: 1 } })
  // Each frame pixel becomes a 2 x 2 block: no smoothing, so the export is exactly what was scored.
  if (scale === 2) image = image.resize(width * 2, height * 2, { kernel: 'nearest' })
  return image.toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer()
}
