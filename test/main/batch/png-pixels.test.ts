import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { readPngPixels, type PngPixels } from '#main/batch/png-pixels.ts'
import { CHANNELS, chunk, encodePng, type RawImage } from './png.ts'

const imageArb: fc.Arbitrary<RawImage> = fc
  .record({
    width: fc.integer({ min: 1, max: 40 }),
    height: fc.integer({ min: 1, max: 12 }),
    colourType: fc.constantFrom(0, 2, 3, 4, 6) as fc.Arbitrary<RawImage['colourType']>,
    seed: fc.integer(),
    entries: fc.integer({ min: 1, max: 256 }),
    alphas: fc.integer({ min: 0, max: 256 })
  })
  .map(({ width, height, colourType, seed, entries, alphas }) => {
    let s = seed >>> 0
    const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24
    const n = width * height * CHANNELS[colourType]
    // Runs of equal bytes as well as noise, so every filter sees both.
    const pixels = Uint8Array.from({ length: n }, (_, i) => (i % 7 < 3 ? 255 : next()))
    if (colourType !== 3) return { width, height, colourType, pixels }
    for (let i = 0; i < n; i++) pixels[i] %= entries
    return {
      width,
      height,
      colourType,
      pixels,
      palette: Uint8Array.from({ length: entries * 3 }, next),
      transparency: alphas > 0 ? Uint8Array.from({ length: Math.min(alphas, entries) }, next) : undefined
    }
  })

/** The stored pixels back out of a reader result, without the filter byte of each row. */
function pixelsOf(png: PngPixels): Uint8Array {
  const stride = png.width * png.channels
  const out = new Uint8Array(stride * png.height)
  for (let y = 0; y < png.height; y++)
    out.set(png.data.subarray(y * png.rowStride + 1, y * png.rowStride + 1 + stride), y * stride)
  return out
}

describe('the batch PNG reader', () => {
  it('undoes every row filter for every colour type, over any cut of the data into chunks', () => {
    fc.assert(
      fc.property(
        imageArb,
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        (img, filters, pieces) => {
          const png = readPngPixels(encodePng(img, { filters, pieces }), 1e6)
          expect(png).not.toBeNull()
          expect(png!).toMatchObject({ width: img.width, height: img.height, channels: CHANNELS[img.colourType] })
          expect(pixelsOf(png!)).toEqual(img.pixels)
          if (img.palette) {
            expect(png!.palette!.rgb).toEqual(img.palette)
            const alpha = new Uint8Array(img.palette.length / 3).fill(255)
            if (img.transparency) alpha.set(img.transparency)
            expect(png!.palette!.alpha).toEqual(alpha)
          } else expect(png!.palette).toBeNull()
        }
      ),
      { numRuns: 300 }
    )
  })

  it('reads what sharp writes (adaptive filters, palettes) as sharp itself decodes it', async () => {
    const width = 97,
      height = 31
    const rgba = new Uint8Array(width * height * 4)
    for (let i = 0; i < width * height; i++)
      rgba.set([(i * 37) % 256, (i * 11) % 200, i % 256, i % 5 === 0 ? 0 : 255], i * 4)
    const cases = [
      sharp(rgba, { raw: { width, height, channels: 4 } }).png({ adaptiveFiltering: true }),
      sharp(rgba, { raw: { width, height, channels: 4 } })
        .removeAlpha()
        .png({ adaptiveFiltering: true }),
      sharp(rgba, { raw: { width, height, channels: 4 } }).png({ palette: true, colours: 256 })
    ]
    let read = 0
    for (const image of cases) {
      const bytes = await image.toBuffer()
      const png = readPngPixels(bytes, 1e6)
      if (!png) continue // a palette of fewer bits a pixel: declined, sharp reads it
      read++
      const { data } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
      const pixels = pixelsOf(png)
      for (let p = 0; p < width * height; p++) {
        const at = p * png.channels
        const rgbaOf = png.palette
          ? [...png.palette.rgb.subarray(pixels[at] * 3, pixels[at] * 3 + 3), png.palette.alpha[pixels[at]]]
          : png.channels === 3
            ? [...pixels.subarray(at, at + 3), 255]
            : [...pixels.subarray(at, at + 4)]
        expect(rgbaOf).toEqual([...data.subarray(p * 4, p * 4 + 4)])
      }
    }
    expect(read).toBeGreaterThanOrEqual(2)
  })

  it('declines, for sharp to judge, anything it does not take or that is not right', () => {
    const img: RawImage = { width: 4, height: 2, colourType: 2, pixels: new Uint8Array(24).fill(9) }
    const good = encodePng(img)
    expect(readPngPixels(good, 1e6)).not.toBeNull()
    const flipped = Uint8Array.from(good)
    flipped[good.length - 20] ^= 1 // inside the IDAT: its checksum no longer fits
    const cases: [string, Uint8Array, number?][] = [
      ['not a PNG', new TextEncoder().encode('not a png at all, just some text here to be long enough')],
      ['a bad checksum', flipped],
      ['truncated', good.subarray(0, good.length - 15)],
      ['data after IEND', new Uint8Array([...good, 0, 0, 0])],
      ['16 bits a sample', encodePng({ ...img, pixels: new Uint8Array(48) }, { depth: 16 })],
      ['interlaced', encodePng(img, { interlace: 1 })],
      ['a colour profile', encodePng(img, { extra: [chunk('iCCP', new Uint8Array(20))] })],
      ['a transparent colour', encodePng(img, { extra: [chunk('tRNS', new Uint8Array(6))] })],
      ['an unknown filter', encodePng(img, { filters: [5] })],
      ['too many pixels', good, 7]
    ]
    for (const [what, bytes, max] of cases) expect(readPngPixels(bytes, max ?? 1e6), what).toBeNull()
    const palette: RawImage = {
      width: 3,
      height: 1,
      colourType: 3,
      pixels: Uint8Array.of(0, 1, 2),
      palette: new Uint8Array(6)
    }
    expect(readPngPixels(encodePng(palette), 1e6), 'an index past the palette').toBeNull()
  })

  it('declines a stream that inflates to more or less than the header says', () => {
    const img: RawImage = { width: 5, height: 3, colourType: 0, pixels: new Uint8Array(15) }
    const tall = encodePng({ ...img, height: 4, pixels: new Uint8Array(20) })
    // The IHDR of the 3-row image in front of the 4-row image's data, and the other way round.
    const header = (png: Uint8Array) => png.subarray(8, 33)
    const short = encodePng(img)
    const swap = (a: Uint8Array, b: Uint8Array) =>
      new Uint8Array([...a.subarray(0, 8), ...header(b), ...a.subarray(33)])
    expect(readPngPixels(swap(tall, short), 1e6)).toBeNull()
    expect(readPngPixels(swap(short, tall), 1e6)).toBeNull()
  })
})
