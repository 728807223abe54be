import sharp, { type Sharp } from 'sharp'
import type { FrameSize } from '../../shared/api.ts'

/**
 * Fit an image into the evaluation frame as spec section 1 says: composite over white, keep the
 * aspect ratio, centre, pad with white. Returns raw RGB pixels of exactly frame size.
 */
export async function fitToFrame(input: Sharp, frame: FrameSize): Promise<Buffer> {
  return input
    .flatten({ background: '#ffffff' })
    .resize(frame.width, frame.height, { fit: 'contain', background: '#ffffff', position: 'centre' })
    .removeAlpha()
    .raw()
    .toBuffer()
}

export async function rgbToPng(rgb: Buffer, frame: FrameSize): Promise<Uint8Array> {
  const png = await sharp(rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer()
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
}
