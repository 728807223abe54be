// The work the image decoder process does (decode-process.ts runs it; nothing else should, since
// a hostile file can make it take minutes and gigabytes): read an image's header, decode and fit
// it into the frame, make a thumbnail, or hand back raw pixels. Always from bytes (never a path,
// so an SVG has no base to load anything from) and always with sharp's safety limits on. An SVG's
// text is checked first (encoding, links, size and complexity): what it refuses never reaches
// librsvg. Failures come back as data: `refused` (our own check, a message for the user) or
// `failed` (the decoder's message).
import sharp, { type Sharp, type SharpOptions } from 'sharp'
import type { FrameSize } from '#shared/contract/api.ts'
import { MAX_REFERENCE_PIXELS, type ImageFormat } from '#shared/contract/references.ts'
import { fitImage, type FittedImage } from './fit.ts'
import { svgComplexity, svgExternalReference } from './svg.ts'

export type DecodeJob =
  | { kind: 'header'; bytes: Uint8Array; format: ImageFormat }
  | {
      kind: 'fit'
      bytes: Uint8Array
      format: ImageFormat
      width: number
      height: number
      frame: FrameSize
      /** What transparency and the padding become: white (the spec), or black (inverted ink). */
      background?: '#ffffff' | '#000000'
    }
  | { kind: 'thumbnail'; bytes: Uint8Array; format: ImageFormat; size: number }
  /** Pixels as stored (no orientation), RGBA, the region given (or all). */
  | {
      kind: 'rgba'
      bytes: Uint8Array
      format: ImageFormat
      region?: { left: number; top: number; width: number; height: number }
    }

export interface ImageHeader {
  /** What sharp read the file as ('heif' for AVIF). */
  format: string
  /** As stored. */
  width: number
  height: number
  /** After EXIF orientation. */
  orientedWidth: number
  orientedHeight: number
}

export type DecodeResult =
  | { kind: 'header'; header: ImageHeader }
  | { kind: 'fit'; fitted: FittedImage }
  | { kind: 'thumbnail'; png: Uint8Array; width: number; height: number }
  | { kind: 'rgba'; data: Uint8Array; width: number; height: number; channels: number }
  /** The file is refused before decoding: `what` is the user's "what is wrong". */
  | { kind: 'refused'; what: string }
  /** The decoder failed: its message. */
  | { kind: 'failed'; message: string }

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

function pipeline(bytes: Uint8Array, format: ImageFormat, orient = true): Sharp {
  return sharp(bytes, { ...safeOptions(format), autoOrient: orient })
}

/** Why an SVG's text is refused, or null. */
export function svgTextProblem(bytes: Uint8Array): string | null {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return 'the SVG is not valid UTF-8 text'
  }
  const declared = /^\s*(?:\uFEFF)?<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(text)?.[1]
  if (declared && !/^(utf-?8|us-ascii|ascii)$/i.test(declared))
    return `the SVG declares the text encoding "${declared}"; save it as UTF-8`
  // Before the header is parsed: an external entity would otherwise surface as a parse error.
  const external = svgExternalReference(text)
  if (external) return `the SVG is not self-contained: ${external}; embed or remove what it links to`
  return svgComplexity(text)
}

const view = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

export async function runDecodeJob(job: DecodeJob): Promise<DecodeResult> {
  try {
    switch (job.kind) {
      case 'header': {
        if (job.format === 'svg') {
          const problem = svgTextProblem(job.bytes)
          if (problem) return { kind: 'refused', what: problem }
        }
        // The header only, with no pixel limit, so an oversized image is reported with its size.
        const meta = await sharp(job.bytes, { ...safeOptions(job.format), limitInputPixels: false }).metadata()
        return {
          kind: 'header',
          header: {
            format: meta.format,
            width: meta.width,
            height: meta.height,
            orientedWidth: meta.autoOrient?.width ?? meta.width,
            orientedHeight: meta.autoOrient?.height ?? meta.height
          }
        }
      }
      case 'fit':
        return {
          kind: 'fit',
          fitted: await fitImage(pipeline(job.bytes, job.format), job.width, job.height, job.frame, job.background)
        }
      case 'thumbnail': {
        const { data, info } = await pipeline(job.bytes, job.format)
          .flatten({ background: '#ffffff' })
          .resize(job.size, job.size, { fit: 'inside' })
          .toColourspace('srgb')
          .png({ compressionLevel: 9 })
          .toBuffer({ resolveWithObject: true })
        return { kind: 'thumbnail', png: view(data), width: info.width, height: info.height }
      }
      case 'rgba': {
        let p = pipeline(job.bytes, job.format, false)
        if (job.region) p = p.extract(job.region)
        const { data, info } = await p
          .ensureAlpha()
          .toColourspace('srgb')
          .raw({ depth: 'uchar' })
          .toBuffer({ resolveWithObject: true })
        return { kind: 'rgba', data: view(data), width: info.width, height: info.height, channels: info.channels }
      }
    }
  } catch (err) {
    return { kind: 'failed', message: err instanceof Error ? err.message : String(err) }
  }
}
