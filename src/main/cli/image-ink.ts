import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import type { FrameSize } from '../../shared/api.ts'
import { inkByLegacyRule, inkByLuma, type LegacyBackground } from '../references/ink.ts'
import { fitToFrame } from '../references/fit.ts'
import { CliError } from './errors.ts'

const MAX_PIXELS = 40_000_000

/** Open an image for the command line, turning every failure into one line naming the file. */
async function open(path: string): Promise<Sharp> {
  const name = basename(path)
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`${path}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message}`)
  })
  if (!info.isFile()) throw new CliError(`${path}: not a file`)
  if (info.size === 0) throw new CliError(`${path}: the file is empty`)
  const image = sharp(path, { limitInputPixels: MAX_PIXELS, failOn: 'truncated' })
  try {
    await image.metadata()
  } catch (err) {
    throw new CliError(`${path}: ${describeSharpError(err as Error, name)}`)
  }
  return image
}

function describeSharpError(err: Error, name: string): string {
  const m = err.message
  if (/unsupported image format/i.test(m)) return 'not an image (or a format that cannot be read)'
  if (/pixel limit/i.test(m)) return `larger than ${MAX_PIXELS / 1e6} megapixels`
  if (/premature|truncated|corrupt|bad|invalid/i.test(m)) return `the image data is damaged (${m})`
  return `${name} cannot be read (${m})`
}

/** Spec section 1: fitted into the frame over white, ink by luma < threshold. */
export async function imageInk(path: string, frame: FrameSize, threshold: number): Promise<Uint8Array> {
  const image = await open(path)
  try {
    const rgb = await fitToFrame(image, frame)
    return inkByLuma(rgb, 3, frame.width * frame.height, threshold)
  } catch (err) {
    if (err instanceof CliError) throw err
    throw new CliError(`${path}: ${describeSharpError(err as Error, basename(path))}`)
  }
}

export const COMBINED = { width: 1010, height: 500, drawingLeft: 510, side: 500 } as const

/** Spec section 5: one image holding the reference (columns 0..499) and the drawing (510..1009). */
export async function combinedInk(path: string, background: LegacyBackground): Promise<{ reference: Uint8Array; drawing: Uint8Array }> {
  const image = await open(path)
  let data: Buffer, width: number, height: number
  try {
    const raw = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    ;({ data } = raw)
    ;({ width, height } = raw.info)
  } catch (err) {
    throw new CliError(`${path}: ${describeSharpError(err as Error, basename(path))}`)
  }
  if (width !== COMBINED.width || height !== COMBINED.height) {
    throw new CliError(`${path}: a combined image is ${COMBINED.width} x ${COMBINED.height} (reference in columns 0..499, drawing in 510..1009), this one is ${width} x ${height}`)
  }
  const half = (left: number): Uint8Array => {
    const rgba = new Uint8Array(COMBINED.side * COMBINED.side * 4)
    for (let y = 0; y < COMBINED.side; y++) {
      const from = (y * width + left) * 4
      rgba.set(data.subarray(from, from + COMBINED.side * 4), y * COMBINED.side * 4)
    }
    return inkByLegacyRule(rgba, COMBINED.side * COMBINED.side, background)
  }
  return { reference: half(0), drawing: half(COMBINED.drawingLeft) }
}
