import sharp, { type Sharp } from 'sharp'
import type { FrameSize } from '#shared/contract/api.ts'

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

/**
 * Where an image of srcWidth x srcHeight lands in the frame under spec section 1: the largest
 * size with its aspect ratio that fits ("contain", rounded, at least 1 pixel), centred (any odd
 * pixel of padding goes right / below).
 */
export function containRect(srcWidth: number, srcHeight: number, frame: FrameSize): Rect {
  const scale = Math.min(frame.width / srcWidth, frame.height / srcHeight)
  const width = Math.min(frame.width, Math.max(1, Math.round(srcWidth * scale)))
  const height = Math.min(frame.height, Math.max(1, Math.round(srcHeight * scale)))
  return { left: Math.floor((frame.width - width) / 2), top: Math.floor((frame.height - height) / 2), width, height }
}

export interface FittedImage {
  /** Interleaved 8-bit sRGB, frame.width * frame.height * 3 bytes. */
  rgb: Buffer
  width: number
  height: number
  /** Where the image itself is; the rest is white padding. */
  content: Rect
}

/**
 * Fit an image into the evaluation frame as spec section 1 says: composite over white (so
 * transparent areas are background), keep the aspect ratio, centre, pad with white. `srcWidth`
 * and `srcHeight` are the image's size as the pipeline delivers it (after any orientation).
 */
export async function fitImage(
  input: Sharp,
  srcWidth: number,
  srcHeight: number,
  frame: FrameSize,
  /** What transparent areas and the padding become: white (the spec), or black (inverted ink). */
  background: '#ffffff' | '#000000' = '#ffffff'
): Promise<FittedImage> {
  const content = containRect(srcWidth, srcHeight, frame)
  const { data, info } = await input
    .flatten({ background })
    // A triangle kernel weighs source pixels with non-negative weights, so resampling never makes
    // a pixel darker than its source (Lanczos rings at edges and would invent ink).
    .resize(content.width, content.height, { fit: 'fill', kernel: 'linear' })
    .extend({
      left: content.left,
      top: content.top,
      right: frame.width - content.width - content.left,
      bottom: frame.height - content.height - content.top,
      background
    })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.width !== frame.width || info.height !== frame.height || info.channels !== 3) {
    throw new Error(
      `fitting gave ${info.width} x ${info.height} x ${info.channels}, expected ${frame.width} x ${frame.height} x 3`
    )
  }
  return { rgb: data, width: frame.width, height: frame.height, content }
}

export async function rgbToPng(rgb: Buffer, frame: FrameSize, compressionLevel = 6): Promise<Uint8Array> {
  const png = await sharp(rgb, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .png({ compressionLevel })
    .toBuffer()
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
}
