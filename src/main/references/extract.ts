// Ink from image files on disk, for the command line (`sightline evaluate`, `sightline report`):
// the same checks and decoding as an import (in decoder processes, under the same budget),
// without the library.
import type { FrameSize } from '#shared/contract/api.ts'
import { badImage, checkImage, decodeToFrame, readImageFile, rgbaPixels, type CheckedImage } from './decode.ts'
import { sharedDecoder, type DecodeRunner } from './decoder.ts'
import { DEFAULT_INK_THRESHOLD, inkByLegacyRule, inkByLumaFloor, lumaFloor, type LegacyBackground } from './ink.ts'
import { countInk } from './ink-settings.ts'
import { COMBINED } from './combined-layout.ts'

export interface FileInk {
  /** width * height bytes, row-major, 1 = ink. */
  mask: Uint8Array
  width: number
  height: number
  inkPixels: number
}

/** An image file, read and checked (its size known from the header), not decoded yet. */
export async function openImageFile(path: string, decoder: DecodeRunner = sharedDecoder()): Promise<CheckedImage> {
  const { fileName, bytes } = await readImageFile(path)
  return checkImage(fileName, bytes, decoder)
}

/**
 * An image fitted into the frame (spec section 1) and its ink by the luma rule. An empty mask is
 * returned as is: for a drawing it means "no score", for a reference the caller refuses.
 */
export async function inkFromImage(
  image: CheckedImage,
  frame: FrameSize,
  threshold = DEFAULT_INK_THRESHOLD
): Promise<FileInk> {
  const fitted = await decodeToFrame(image, frame)
  const mask = inkByLumaFloor(lumaFloor(fitted.rgb, frame.width * frame.height), threshold)
  return { mask, width: frame.width, height: frame.height, inkPixels: countInk(mask) }
}

/** The same, for an image file. */
export async function inkFromImageFile(
  path: string,
  frame: FrameSize,
  threshold = DEFAULT_INK_THRESHOLD,
  decoder: DecodeRunner = sharedDecoder()
): Promise<FileInk> {
  return inkFromImage(await openImageFile(path, decoder), frame, threshold)
}

export { COMBINED } from './combined-layout.ts'

export interface CombinedInk {
  reference: FileInk
  drawing: FileInk
}

/**
 * A combined image of the original tool (spec section 5): the reference in columns 0..499 and
 * the drawing in columns 510..1009 of rows 0..499, each read with the legacy ink rule. The
 * pixels are taken as stored (no orientation, no compositing): that is what the tool read.
 */
export async function inkFromCombinedImage(
  path: string,
  background: LegacyBackground = 'white',
  decoder: DecodeRunner = sharedDecoder()
): Promise<CombinedInk> {
  const { fileName, bytes } = await readImageFile(path)
  return inkFromCombinedBytes(fileName, bytes, background, decoder)
}

/** The same from a file's bytes already read (`fileName` names it in errors). */
export async function inkFromCombinedBytes(
  fileName: string,
  bytes: Buffer,
  background: LegacyBackground = 'white',
  decoder: DecodeRunner = sharedDecoder()
): Promise<CombinedInk> {
  const image = await checkImage(fileName, bytes, decoder)
  const { side, minWidth } = COMBINED
  // The size as stored (the tool read the pixels as stored), from the header: only the two
  // halves are then decoded.
  const width = image.storedWidth
  const height = image.storedHeight
  if (width < minWidth || height !== side) {
    throw badImage(
      fileName,
      `a combined image is at least ${minWidth} pixels wide and exactly ${side} high (reference in columns 0-499, drawing in 510-1009); this one is ${width} x ${height}`
    )
  }
  const { data: rgba } = await rgbaPixels(image, { left: 0, top: 0, width: minWidth, height: side })
  const half = (left: number): FileInk => {
    const pixels = new Uint8Array(side * side * 4)
    for (let y = 0; y < side; y++) {
      const from = (y * minWidth + left) * 4
      pixels.set(rgba.subarray(from, from + side * 4), y * side * 4)
    }
    const mask = inkByLegacyRule(pixels, side * side, background)
    return { mask, width: side, height: side, inkPixels: countInk(mask) }
  }
  return { reference: half(COMBINED.referenceLeft), drawing: half(COMBINED.drawingLeft) }
}
