// Ink settings: validation (shared by the API schemas and the library's records) and applying
// them to a fitted reference.
import sharp from 'sharp'
import { z } from 'zod'
import type { InkChoice, InkSettings } from '#shared/contract/references.ts'
import type { FittedImage } from './fit.ts'
import { histogram, inkByLumaFloor, lumaFloor, otsuThreshold } from './ink.ts'
import { OUTLINE_BLUR_SIGMA, edgeStrength, outlineMask, thinLines } from './outline.ts'

const luma = z.int().min(0).max(255)
const edge = z.int().min(1).max(255)

const invert = z.boolean().optional()

export const inkChoiceSchema: z.ZodType<InkChoice> = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('threshold'), threshold: luma, invert }),
  z.strictObject({ mode: z.literal('auto'), invert }),
  z.strictObject({ mode: z.literal('outline'), threshold: edge, invert })
])

export const inkSettingsSchema: z.ZodType<InkSettings> = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('threshold'), threshold: luma, invert }),
  z.strictObject({ mode: z.literal('auto'), threshold: luma, invert }),
  z.strictObject({ mode: z.literal('outline'), threshold: edge, invert })
])

/**
 * A reference fitted into the frame, with what every ink setting needs computed once: floor(Y)
 * per pixel now, the outline's edge strengths on first use. Kept while the user drags a slider.
 */
export interface InkSource {
  width: number
  height: number
  fitted: FittedImage
  luma: Uint8Array
  /** Thinned edge strengths over the frame (0 in the padding), computed once. */
  edges(): Promise<Float32Array>
  /**
   * The same picture for light lines on a dark or transparent ground: laid over black, colours
   * inverted, computed once. Null when this source cannot be refitted (it is the inverted one).
   */
  inverted(): Promise<InkSource> | null
}

/** 255 - v for each byte: the picture's colours inverted. */
function invertBytes(rgb: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(rgb.length)
  for (let i = 0; i < rgb.length; i++) out[i] = 255 - rgb[i]
  return out
}

/**
 * A fitted picture and what ink settings need of it. `overBlack` fits the same picture over
 * black, for inverted ink.
 */
export function inkSource(fitted: FittedImage, overBlack?: () => Promise<FittedImage>): InkSource {
  const { width, height, content } = fitted
  const luma = lumaFloor(fitted.rgb, width * height)
  let edges: Promise<Float32Array> | undefined
  let inverted: Promise<InkSource> | undefined
  return {
    width,
    height,
    fitted,
    luma,
    inverted() {
      if (!overBlack) return null
      inverted ??= overBlack().then((black) => inkSource({ ...black, rgb: invertBytes(black.rgb) }))
      return inverted
    },
    edges() {
      edges ??= (async () => {
        // Only the image itself: the border between a photo and the white padding is not a line.
        const crop = new Uint8Array(content.width * content.height)
        for (let y = 0; y < content.height; y++) {
          const from = (content.top + y) * width + content.left
          crop.set(luma.subarray(from, from + content.width), y * content.width)
        }
        const blurred = await blurGrey(crop, content.width, content.height)
        const strength = edgeStrength(blurred, content.width, content.height)
        const out = new Float32Array(width * height)
        for (let y = 0; y < content.height; y++) {
          out.set(
            strength.subarray(y * content.width, (y + 1) * content.width),
            (content.top + y) * width + content.left
          )
        }
        return out
      })()
      return edges
    }
  }
}

/** Gaussian blur of one grey channel (sharp gives back three equal ones unless told). */
async function blurGrey(grey: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  if (width < 3 || height < 3) return grey
  const { data, info } = await sharp(grey, { raw: { width, height, channels: 1 } })
    .blur(OUTLINE_BLUR_SIGMA)
    .extractChannel(0)
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  if (info.channels !== 1 || data.length !== width * height)
    throw new Error(`blurring gave ${info.width} x ${info.height} x ${info.channels}`)
  return data
}

/** The picture the settings read: the source itself, or its inverted form. */
async function pictureFor(invert: boolean | undefined, source: InkSource): Promise<InkSource> {
  if (!invert) return source
  const inverted = source.inverted()
  if (!inverted) throw new Error('this reference cannot be read inverted')
  return inverted
}

/** The choice with its numbers resolved: `auto` runs Otsu on the image (the padding left out). */
export async function resolveInk(choice: InkChoice, source: InkSource): Promise<InkSettings> {
  const flag = choice.invert ? { invert: true } : {}
  if (choice.mode !== 'auto') return { mode: choice.mode, threshold: choice.threshold, ...flag }
  const picture = await pictureFor(choice.invert, source)
  return {
    mode: 'auto',
    threshold: otsuThreshold(histogram(picture.luma, picture.width, picture.fitted.content)),
    ...flag
  }
}

/** The ink mask (1 = ink) at frame size for resolved settings; outline lines are thinned to one pixel. */
export async function extractInk(settings: InkSettings, source: InkSource): Promise<Uint8Array> {
  const picture = await pictureFor(settings.invert, source)
  if (settings.mode === 'outline')
    return thinLines(
      outlineMask(await picture.edges(), picture.width, picture.height, settings.threshold),
      picture.width,
      picture.height
    )
  return inkByLumaFloor(picture.luma, settings.threshold)
}

export function countInk(mask: Uint8Array): number {
  let n = 0
  for (let i = 0; i < mask.length; i++) n += mask[i]
  return n
}
