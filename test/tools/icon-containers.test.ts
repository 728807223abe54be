// The app icon's containers: read back by a reader written from the formats' own layout, and the
// committed icons are the ones the script makes (same sizes, PNG inside).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { icns, ico } from '#scripts/icon-containers.ts'

const DIR = join(import.meta.dirname, '..', '..', 'resources', 'icons')
const fakePng = (n: number) => Buffer.from(Array.from({ length: 20 + n }, (_, i) => (i * 7 + n) & 255))

describe('icon containers', () => {
  it('write an ICO whose directory points at each image', () => {
    const images = [16, 48, 256].map((size) => ({ size, data: fakePng(size) }))
    const file = ico(images)
    expect([file.readUInt16LE(0), file.readUInt16LE(2), file.readUInt16LE(4)]).toEqual([0, 1, 3])
    images.forEach((img, i) => {
      const e = 6 + 16 * i
      expect(file.readUInt8(e)).toBe(img.size === 256 ? 0 : img.size)
      const [length, offset] = [file.readUInt32LE(e + 8), file.readUInt32LE(e + 12)]
      expect(file.subarray(offset, offset + length).equals(img.data)).toBe(true)
    })
  })

  it('write an ICNS whose chunks add up to its length', () => {
    const file = icns([
      { type: 'ic07', data: fakePng(1) },
      { type: 'ic10', data: fakePng(2) }
    ])
    expect(file.subarray(0, 4).toString('ascii')).toBe('icns')
    expect(file.readUInt32BE(4)).toBe(file.length)
    let at = 8
    const types: string[] = []
    while (at < file.length) {
      types.push(file.subarray(at, at + 4).toString('ascii'))
      at += file.readUInt32BE(at + 4)
    }
    expect(at).toBe(file.length)
    expect(types).toEqual(['ic07', 'ic10'])
  })

  it('are committed for every size, PNG inside, the sizes they say', async () => {
    for (const size of [16, 32, 256, 1024]) {
      const meta = await sharp(join(DIR, `${size}x${size}.png`)).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['png', size, size])
    }
    const file = readFileSync(join(DIR, 'icon.ico'))
    expect(file.readUInt16LE(4)).toBe(7)
    const last = 6 + 16 * 6
    const png = file.subarray(file.readUInt32LE(last + 12), file.readUInt32LE(last + 12) + file.readUInt32LE(last + 8))
    expect((await sharp(png).metadata()).width).toBe(256)
    const mac = readFileSync(join(DIR, 'icon.icns'))
    expect(mac.readUInt32BE(4)).toBe(mac.length)
  })
})
