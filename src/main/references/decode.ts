// Opening an image file a user picked: every check a hostile or broken file needs, in order,
// each failing with StudioError('bad-image', "<file name>: <what is wrong>"). Nothing here
// writes anything. Every decoding step of a file a user gave, the header read included, runs in a
// decoder process under a time and memory budget (decoder.ts); the work itself is decode-jobs.ts.
import type { FrameSize } from '#shared/contract/api.ts'
import { MAX_REFERENCE_BYTES, MAX_REFERENCE_PIXELS, type ImageFormat } from '#shared/contract/references.ts'
import type { FittedImage } from './fit.ts'
import { sniffFormat } from './formats.ts'
import type { DecodeJob, DecodeResult } from './decode-jobs.ts'
import { DecodeError, sharedDecoder, type DecodeRunner } from './decoder.ts'
import { SVG_LIMITS } from './svg.ts'
import { badImage, megabytes } from './read-file.ts'

export { badImage, readImageFile } from './read-file.ts'

/** An image that passed every check that needs only its header (and, for SVG, its text). */
export interface CheckedImage {
  fileName: string
  bytes: Buffer
  format: ImageFormat
  /** After EXIF orientation. */
  width: number
  height: number
  /** As stored (what a pixel read without orientation gives). */
  storedWidth: number
  storedHeight: number
  /** What checks and decodes it: the decoder processes (or, for the studio's own files, this process). */
  decoder: DecodeRunner
}

const FORMAT_LABEL: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  webp: 'WebP',
  avif: 'AVIF',
  tiff: 'TIFF',
  gif: 'GIF',
  svg: 'SVG'
}

/** sharp's messages, minus the library prefixes, for the user's "what is wrong". */
function decoderReason(message: string): string {
  const line =
    message
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0 && !/^source: bad seek/.test(l)) ?? 'unreadable'
  return line
    .replace(/^Input buffer has corrupt header:\s*/i, '')
    .replace(
      /^(VipsJpeg|vipspng|VipsForeignLoad\w*|gifload_buffer|tiff2vips|webp|heif|svgload_buffer|svgload):\s*/i,
      ''
    )
    .slice(0, 160)
}

/**
 * One decoding step in a decoder process. A refusal (our checks), a decoder failure (described by
 * `failed`) or a stopped decode (too slow, too much memory) is a bad-image error naming the file.
 */
async function decode(
  decoder: DecodeRunner,
  fileName: string,
  job: DecodeJob,
  failed: (reason: string) => string
): Promise<DecodeResult> {
  let result: DecodeResult
  try {
    result = await decoder.run(job)
  } catch (err) {
    if (err instanceof DecodeError) throw badImage(fileName, err.message)
    throw err
  }
  if (result.kind === 'refused') throw badImage(fileName, result.what)
  if (result.kind === 'failed') throw badImage(fileName, failed(decoderReason(result.message)))
  return result
}

const corrupt = (format: ImageFormat) => (reason: string) =>
  `the ${FORMAT_LABEL[format]} data is corrupt or truncated (${reason})`

/**
 * Checks in the order a user would want to hear about them: empty, too many bytes, not an image
 * (or a format we do not read), an SVG's text (encoding, links, size, complexity: before its
 * header is parsed), corrupt header, too many pixels.
 * Decoding the pixels (which finds corrupt or truncated data) is decodeToFrame's job.
 */
export async function checkImage(
  fileName: string,
  bytes: Buffer,
  decoder: DecodeRunner = sharedDecoder()
): Promise<CheckedImage> {
  if (bytes.length === 0) throw badImage(fileName, 'the file is empty')
  if (bytes.length > MAX_REFERENCE_BYTES) {
    throw badImage(
      fileName,
      `the file is ${megabytes(bytes.length)}; references can be at most ${megabytes(MAX_REFERENCE_BYTES)}`
    )
  }
  const sniffed = sniffFormat(bytes)
  if (sniffed.kind === 'unknown') {
    throw badImage(fileName, 'this is not an image Sightline can read (use PNG, JPEG, WebP, AVIF, TIFF, GIF or SVG)')
  }
  if (sniffed.kind === 'unsupported') {
    throw badImage(fileName, `${sniffed.what} images are not supported; save it as PNG or JPEG`)
  }
  const format = sniffed.format
  if (format === 'svg' && bytes.length > SVG_LIMITS.bytes) {
    throw badImage(
      fileName,
      `the SVG is ${megabytes(bytes.length)} of text; SVG references can be at most ${megabytes(SVG_LIMITS.bytes)}`
    )
  }
  const result = await decode(decoder, fileName, { kind: 'header', bytes, format }, corrupt(format))
  if (result.kind !== 'header') throw new Error(`the decoder answered a header read with ${result.kind}`)
  const meta = result.header
  const read = meta.format === 'heif' ? 'avif' : meta.format
  if (read !== format) {
    throw badImage(fileName, `the file looks like ${FORMAT_LABEL[format]} but does not decode as one`)
  }
  const width = meta.orientedWidth
  const height = meta.orientedHeight
  if (!(width > 0 && height > 0)) throw badImage(fileName, 'the image has no pixels (its width or height is 0)')
  if (width * height > MAX_REFERENCE_PIXELS) {
    throw badImage(
      fileName,
      `the image is ${width} x ${height} (${((width * height) / 1e6).toFixed(1)} megapixels); references can be at most ${MAX_REFERENCE_PIXELS / 1e6} megapixels`
    )
  }
  return { fileName, bytes, format, width, height, storedWidth: meta.width, storedHeight: meta.height, decoder }
}

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/**
 * Decode every pixel and fit it into the frame (over white, or over black for light lines on a
 * dark or transparent ground); corrupt or truncated pixel data is refused here.
 */
export async function decodeToFrame(
  image: CheckedImage,
  frame: FrameSize,
  background: '#ffffff' | '#000000' = '#ffffff'
): Promise<FittedImage> {
  const result = await decode(
    image.decoder,
    image.fileName,
    {
      kind: 'fit',
      bytes: image.bytes,
      format: image.format,
      width: image.width,
      height: image.height,
      frame,
      background
    },
    corrupt(image.format)
  )
  if (result.kind !== 'fit') throw new Error(`the decoder answered a decode with ${result.kind}`)
  return { ...result.fitted, rgb: asBuffer(result.fitted.rgb) }
}

/** A small PNG of the image (aspect kept, over white) for lists. */
export async function thumbnailPng(
  image: CheckedImage,
  size: number
): Promise<{ png: Buffer; width: number; height: number }> {
  const result = await decode(
    image.decoder,
    image.fileName,
    { kind: 'thumbnail', bytes: image.bytes, format: image.format, size },
    corrupt(image.format)
  )
  if (result.kind !== 'thumbnail') throw new Error(`the decoder answered a thumbnail with ${result.kind}`)
  return { png: asBuffer(result.png), width: result.width, height: result.height }
}

/** The pixels as stored (no orientation, no compositing), RGBA, of `region` (or all). */
export async function rgbaPixels(
  image: CheckedImage,
  region?: { left: number; top: number; width: number; height: number }
): Promise<{ data: Uint8Array; width: number; height: number }> {
  const result = await decode(
    image.decoder,
    image.fileName,
    { kind: 'rgba', bytes: image.bytes, format: image.format, region },
    (reason) => `the image data is corrupt or truncated (${reason})`
  )
  if (result.kind !== 'rgba') throw new Error(`the decoder answered a pixel read with ${result.kind}`)
  if (result.channels !== 4) throw badImage(image.fileName, `the image data decoded to ${result.channels} channels`)
  return { data: result.data, width: result.width, height: result.height }
}
