import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { CombinedScorer } from '#main/batch/combined-study.ts'
import { combinedHalvesFromPng } from '#main/batch/combined-ink.ts'
import { readPngPixels } from '#main/batch/png-pixels.ts'
import { inkFromCombinedImage } from '#main/references/extract.ts'
import { scoreMasks } from '#main/shells/cli/evaluate.ts'
import { combinedPng, studyHalves } from '#tools/combined-images.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { encodePng, type RawImage } from './png.ts'

const W = 1010,
  H = 500

/** A combined image of colour type `colourType` whose every pixel is drawn from a few values. */
function combinedRaw(colourType: RawImage['colourType'], seed: number): RawImage {
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType]
  let s = seed >>> 0
  const next = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 16
  const pixels = new Uint8Array(W * H * channels).fill(255)
  if (colourType === 3) pixels.fill(0)
  // Strokes of "ink" values, and stray pixels whose red or alpha alone differs.
  for (let k = 0; k < 400; k++) {
    const y = next() % H,
      x = next() % W,
      len = 1 + (next() % 60)
    const value = [0, 17, 254, 128][next() % 4]
    for (let i = 0; i < len && x + i < W; i++) {
      const at = (y * W + x + i) * channels
      if (colourType === 3) pixels[at] = 1 + (next() % 3)
      else pixels[at + (next() % channels)] = value
    }
  }
  return colourType === 3
    ? {
        width: W,
        height: H,
        colourType,
        pixels,
        palette: Uint8Array.of(255, 255, 255, 0, 0, 0, 255, 10, 10, 200, 200, 200),
        transparency: Uint8Array.of(0, 255, 128)
      }
    : { width: W, height: H, colourType, pixels }
}

describe('combined images on the batch path', () => {
  const dir = tempDir()

  it('reads the legacy rule off the stored pixels exactly as the sharp path does, for every colour type', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 2, 3, 4, 6) as fc.Arbitrary<RawImage['colourType']>,
        fc.constantFrom('white', 'transparent') as fc.Arbitrary<'white' | 'transparent'>,
        fc.integer(),
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }),
        async (colourType, background, seed, filters) => {
          const bytes = encodePng(combinedRaw(colourType, seed), { filters })
          const path = join(dir, `c${colourType}.png`)
          writeFileSync(path, bytes)
          const halves = combinedHalvesFromPng(readPngPixels(bytes, 1e8)!, background)!
          const slow = await inkFromCombinedImage(path, background)
          for (const [view, mask] of [
            [halves.reference, slow.reference.mask],
            [halves.drawing, slow.drawing.mask]
          ] as const) {
            const ours = new Uint8Array(500 * 500)
            for (let y = 0; y < 500; y++)
              for (let x = 0; x < 500; x++)
                ours[y * 500 + x] =
                  view.data[view.offset + y * view.rowStride + x * view.pixelStride] !== view.blank ? 1 : 0
            expect(ours).toEqual(mask)
          }
        }
      ),
      { numRuns: 16 }
    )
  }, 120_000)

  it('scores generated studies exactly as the per-image path (sharp + streaming evaluator)', async () => {
    const scorer = new CombinedScorer()
    for (let i = 0; i < 12; i++) {
      const { reference, drawing } = await studyHalves(3, i)
      const bytes = await combinedPng(reference, drawing)
      const path = join(dir, `s${i}.png`)
      writeFileSync(path, bytes)
      const study = await scorer.score(`s${i}.png`, bytes, 'white')
      const slow = await inkFromCombinedImage(path)
      expect(study.decodedBy).toBe('png')
      expect(study.evaluation).toEqual(scoreMasks(slow.reference.mask, slow.drawing.mask, 500, 500).evaluation)
    }
  })

  it('falls back to sharp for other files, with the same scores and sharp’s words for what is wrong', async () => {
    const { reference, drawing } = await studyHalves(3, 1)
    const png = await combinedPng(reference, drawing)
    const scorer = new CombinedScorer()
    const fromPng = await scorer.score('a.png', png, 'white')
    const tiff = await sharp(png).tiff({ compression: 'lzw' }).toBuffer()
    const fromTiff = await scorer.score('a.tiff', tiff, 'white')
    expect(fromTiff.decodedBy).toBe('sharp')
    expect(fromTiff.evaluation).toEqual(fromPng.evaluation)
    expect(fromTiff.referenceKey).toBe(fromPng.referenceKey)
    const narrow = await sharp(png).extract({ left: 0, top: 0, width: 900, height: 500 }).png().toBuffer()
    await expect(scorer.score('n.png', narrow, 'white')).rejects.toThrow('n.png: a combined image is at least 1010')
    await expect(scorer.score('t.png', png.subarray(0, 4000), 'white')).rejects.toThrow('t.png: ')
  })

  it('gives studies of one reference one key, and different references different keys', async () => {
    const scorer = new CombinedScorer()
    const a = await studyHalves(5, 0)
    const b = await studyHalves(5, 1)
    const key = async (ref: Buffer, draw: Buffer) =>
      (await scorer.score('x.png', await combinedPng(ref, draw), 'white')).referenceKey
    expect(await key(a.reference, a.drawing)).toBe(await key(a.reference, b.drawing))
    expect(await key(a.reference, a.drawing)).not.toBe(await key(b.reference, a.drawing))
  })
})
