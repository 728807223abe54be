import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { inkFromCombinedImage, inkFromImageFile } from '#main/references/extract.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { BOX_IN_FRAME, boxImage, expectNear, inkBounds } from './images.ts'

describe('ink from image files (command line)', () => {
  it('fits any image into the frame and applies the luma rule at the given threshold', async () => {
    const dir = tempDir()
    const path = join(dir, 'box.webp')
    await boxImage().webp({ lossless: true }).toFile(path)
    const ink = await inkFromImageFile(path, { width: 500, height: 500 })
    expectNear(inkBounds(ink.mask, 500), BOX_IN_FRAME, 1)
    expect(ink.inkPixels).toBe(inkBounds(ink.mask, 500)?.count)
    const none = await inkFromImageFile(path, { width: 500, height: 500 }, 0)
    expect(none.inkPixels).toBe(0)
    const small = await inkFromImageFile(path, { width: 100, height: 80 })
    expect([small.width, small.height, small.mask.length]).toEqual([100, 80, 8000])
  })

  it('refuses broken files with the same messages as an import', async () => {
    const dir = tempDir()
    const path = join(dir, 'drawing.png')
    const png = await boxImage().png().toBuffer()
    await sharp(png).toFile(path)
    const { writeFile } = await import('node:fs/promises')
    await writeFile(path, png.subarray(0, 100))
    await expect(inkFromImageFile(path, { width: 500, height: 500 })).rejects.toMatchObject({
      code: 'bad-image',
      message: expect.stringMatching(/^drawing\.png: the PNG data is corrupt or truncated/)
    })
    await expect(inkFromImageFile(join(dir, 'missing.png'), { width: 500, height: 500 })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^missing\.png: no such file/)
    })
    await expect(inkFromImageFile(dir, { width: 500, height: 500 })).rejects.toMatchObject({ code: 'bad-image' })
  })
})

describe('combined images of the original tool (spec section 5)', () => {
  /** 1010+ x 500: a black box in the reference half, a red one in the drawing half. */
  async function combined(path: string, width: number, height: number, transparent: boolean): Promise<void> {
    const background = transparent ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 255, g: 255, b: 255, alpha: 1 }
    await sharp({ create: { width, height, channels: 4, background } })
      .composite([
        {
          input: { create: { width: 30, height: 20, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } },
          left: 100,
          top: 200
        },
        {
          input: { create: { width: 10, height: 40, channels: 4, background: { r: 250, g: 0, b: 0, alpha: 1 } } },
          left: 510 + 300,
          top: 50
        },
        // In the gap: belongs to neither half.
        {
          input: { create: { width: 10, height: 500, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } } },
          left: 500,
          top: 0
        }
      ])
      .png()
      .toFile(path)
  }

  it('reads the two halves with the legacy rule, on white or transparent backgrounds', async () => {
    const dir = tempDir()
    for (const [transparent, width] of [
      [false, 1010],
      [true, 1020]
    ] as const) {
      const path = join(dir, `study-${width}.png`)
      await combined(path, width, 500, transparent)
      const { reference, drawing } = await inkFromCombinedImage(path, transparent ? 'transparent' : 'white')
      expect([reference.width, reference.height, drawing.width, drawing.height]).toEqual([500, 500, 500, 500])
      expect(inkBounds(reference.mask, 500)).toEqual({ x0: 100, x1: 129, y0: 200, y1: 219, count: 600 })
      expect(inkBounds(drawing.mask, 500)).toEqual({ x0: 300, x1: 309, y0: 50, y1: 89, count: 400 })
    }
  })

  it('reading a transparent image as white finds ink everywhere: the caller must say which it is', async () => {
    const dir = tempDir()
    const path = join(dir, 'clear.png')
    await combined(path, 1010, 500, true)
    expect((await inkFromCombinedImage(path, 'white')).reference.inkPixels).toBe(500 * 500)
  })

  it('refuses a wrong size with the layout in the message', async () => {
    const dir = tempDir()
    for (const [w, h] of [
      [1000, 500],
      [1010, 600]
    ]) {
      const path = join(dir, `wrong-${w}x${h}.png`)
      await combined(path, w, h, false)
      await expect(inkFromCombinedImage(path)).rejects.toMatchObject({
        code: 'bad-image',
        message: `wrong-${w}x${h}.png: a combined image is at least 1010 pixels wide and exactly 500 high (reference in columns 0-499, drawing in 510-1009); this one is ${w} x ${h}`
      })
    }
  })
})
