// Opening an image file a user picked: every check a hostile or broken file needs, in order,
// each failing with StudioError('bad-image', "<file name>: <what is wrong>"). Nothing here
// writes anything. sharp does the decoding, always from bytes (never a path, so an SVG has no
// base location to load linked files from) and always with its safety limits on.
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp'
import type { FrameSize } from '#shared/contract/api.ts'
import { MAX_REFERENCE_BYTES, MAX_REFERENCE_PIXELS, type ImageFormat } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { fitImage, type FittedImage } from './fit.ts'
import { sniffFormat } from './formats.ts'
import { svgExternalReference } from './svg.ts'

/** A decode that takes longer than this is abandoned: a file must never hang the app. */
const DECODE_TIMEOUT_SECONDS = 30

/** An image that passed every check that needs only its header (and, for SVG, its text). */
export interface CheckedImage {
  fileName: string
  bytes: Buffer
  format: ImageFormat
  /** After EXIF orientation. */
  width: number
  height: number
  /** A new sharp pipeline over the bytes with the safety limits on (first frame, EXIF-oriented unless told not to). */
  pipeline(options?: { orient?: boolean }): Sharp
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

function megabytes(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`
}

/** sharp's messages, minus the library prefixes, for the user's "what is wrong". */
function decoderReason(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err)
  const line =
    raw
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

export function badImage(fileName: string, what: string): StudioError {
  return new StudioError('bad-image', `${fileName}: ${what}`)
}

function safeOptions(format: ImageFormat): SharpOptions {
  return {
    failOn: 'warning',
    limitInputPixels: MAX_REFERENCE_PIXELS,
    unlimited: false,
    autoOrient: true,
    // The first frame of an animated GIF or WebP, the first page of a TIFF.
    page: 0,
    pages: 1,
    ...(format === 'svg' ? { density: 72 } : {})
  }
}

/**
 * Checks in the order a user would want to hear about them: empty, too many bytes, not an image
 * (or a format we do not read), an SVG that links elsewhere (a text scan, so before its header
 * is parsed), corrupt header, too many pixels.
 * Decoding the pixels (which finds corrupt or truncated data) is decodeToFrame's job.
 */
export async function checkImage(fileName: string, bytes: Buffer): Promise<CheckedImage> {
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
  if (format === 'svg') {
    let svgText: string
    try {
      svgText = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      throw badImage(fileName, 'the SVG is not valid UTF-8 text')
    }
    const declared = /^\s*(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(svgText)?.[1]
    if (declared && !/^(utf-?8|us-ascii|ascii)$/i.test(declared)) {
      throw badImage(fileName, `the SVG declares the text encoding "${declared}"; save it as UTF-8`)
    }
    // Before the header is parsed: an external entity would otherwise surface as a parse error.
    const external = svgExternalReference(svgText)
    if (external)
      throw badImage(fileName, `the SVG is not self-contained: ${external}; embed or remove what it links to`)
  }
  let meta: Metadata
  try {
    // The header only, with no pixel limit, so an oversized image is reported with its size.
    meta = await sharp(bytes, { ...safeOptions(format), limitInputPixels: false }).metadata()
  } catch (err) {
    throw badImage(fileName, `the ${FORMAT_LABEL[format]} data is corrupt or truncated (${decoderReason(err)})`)
  }
  const decoder = meta.format === 'heif' ? 'avif' : meta.format
  if (decoder !== format) {
    throw badImage(fileName, `the file looks like ${FORMAT_LABEL[format]} but does not decode as one`)
  }
  const width = meta.autoOrient?.width ?? meta.width
  const height = meta.autoOrient?.height ?? meta.height
  if (!(width > 0 && height > 0)) throw badImage(fileName, 'the image has no pixels (its width or height is 0)')
  if (width * height > MAX_REFERENCE_PIXELS) {
    throw badImage(
      fileName,
      `the image is ${width} x ${height} (${((width * height) / 1e6).toFixed(1)} megapixels); references can be at most ${MAX_REFERENCE_PIXELS / 1e6} megapixels`
    )
  }
  return {
    fileName,
    bytes,
    format,
    width,
    height,
    pipeline: (options) =>
      sharp(bytes, { ...safeOptions(format), autoOrient: options?.orient ?? true }).timeout({
        seconds: DECODE_TIMEOUT_SECONDS
      })
  }
}

/**
 * Decode every pixel and fit it into the frame (over white, or over black for light lines on a
 * dark or transparent ground); corrupt or truncated pixel data is refused here.
 */
export async function decodeToFrame(
  image: CheckedImage,
  frame: FrameSize,
  background: '#ffffff' | '#000000' = '#ffffff'
): Promise<FittedImage> {
  try {
    return await fitImage(image.pipeline(), image.width, image.height, frame, background)
  } catch (err) {
    throw badImage(
      image.fileName,
      `the ${FORMAT_LABEL[image.format]} data is corrupt or truncated (${decoderReason(err)})`
    )
  }
}

/** A small PNG of the image (aspect kept, over white) for lists. */
export async function thumbnailPng(
  image: CheckedImage,
  size: number
): Promise<{ png: Buffer; width: number; height: number }> {
  try {
    const { data, info } = await image
      .pipeline()
      .flatten({ background: '#ffffff' })
      .resize(size, size, { fit: 'inside' })
      .toColourspace('srgb')
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true })
    return { png: data, width: info.width, height: info.height }
  } catch (err) {
    throw badImage(
      image.fileName,
      `the ${FORMAT_LABEL[image.format]} data is corrupt or truncated (${decoderReason(err)})`
    )
  }
}

/**
 * Read a file the user named, refusing before reading it whole if it is too big. The error
 * names the file by its base name, as the user knows it.
 */
export async function readImageFile(path: string): Promise<{ fileName: string; bytes: Buffer }> {
  const fileName = basename(path)
  let handle
  try {
    // Non-blocking: opening a named pipe must not wait for a writer (it is refused below).
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new StudioError('not-found', `${fileName}: no such file (${path})`)
    if (code === 'EISDIR') throw badImage(fileName, 'this is a folder, not an image file')
    throw badImage(fileName, `the file cannot be read (${code ?? (err as Error).message})`)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw badImage(fileName, 'this is not a regular file')
    if (info.size > MAX_REFERENCE_BYTES) {
      throw badImage(
        fileName,
        `the file is ${megabytes(info.size)}; references can be at most ${megabytes(MAX_REFERENCE_BYTES)}`
      )
    }
    const bytes = await handle.readFile()
    return { fileName, bytes }
  } catch (err) {
    if (err instanceof StudioError) throw err
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EISDIR') throw badImage(fileName, 'this is a folder, not an image file')
    throw badImage(fileName, `the file cannot be read (${code ?? (err as Error).message})`)
  } finally {
    await handle.close()
  }
}
