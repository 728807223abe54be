import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/tmp.ts'
import { openStudio } from '../helpers/studio.ts'

describe('studio API (main side)', () => {
  const dataDir = tempDir()

  it('describes itself', async () => {
    const { api } = await openStudio({ dataDir })
    expect(await api.appInfo()).toEqual({ name: 'Sightline Studio', version: '0.1.0', shell: 'host' })
  })

  it('fits a reference into a frame of its own aspect, the longest side from the settings', async () => {
    const { api } = await openStudio({ dataDir })
    const vase = await api.getReferenceImage({ id: 'bundled:vase' })
    expect([vase.width, vase.height]).toEqual([400, 500])
    await api.updateSettings({ frame: { longestSide: 1000 } })
    const large = await api.getReferenceImage({ id: 'bundled:vase' })
    expect([large.width, large.height]).toEqual([800, 1000])
    const meta = await sharp(large.png).metadata()
    expect([meta.width, meta.height]).toEqual([800, 1000])
    await api.updateSettings({ frame: { longestSide: 500 } })
  })

  it('lists the three bundled references with their real sizes', async () => {
    const { api } = await openStudio({ dataDir })
    const refs = await api.listReferences()
    expect(refs.map((r) => r.id)).toEqual(['bundled:cube', 'bundled:vase', 'bundled:still-life'])
    expect(refs.find((r) => r.id === 'bundled:vase')).toMatchObject({ width: 800, height: 1000, source: 'bundled' })
  })

  it('returns a reference fitted into a frame of another aspect (an older attempt), centred on white', async () => {
    const { api } = await openStudio({ dataDir })
    const image = await api.getReferenceImage({ id: 'bundled:vase', frame: { width: 500, height: 400 } })
    const { data, info } = await sharp(image.png).raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height, image.width, image.height]).toEqual([500, 400, 500, 400])
    // The 800x1000 vase fits to 320x400, so the 90-pixel bands left and right are white padding.
    for (const x of [0, 89, 410, 499]) {
      for (let y = 0; y < 400; y += 7) {
        const i = (y * 500 + x) * info.channels
        expect([data[i], data[i + 1], data[i + 2]]).toEqual([255, 255, 255])
      }
    }
    let dark = 0
    for (let i = 0; i < data.length; i += info.channels) if (data[i] < 128) dark++
    expect(dark).toBeGreaterThan(1000)
  })

  it('says which id was not found', async () => {
    const { api } = await openStudio({ dataDir })
    await expect(api.getReferenceImage({ id: 'bundled:nope' })).rejects.toMatchObject({
      code: 'not-found',
      message: 'no reference with id "bundled:nope"'
    })
  })
})
