import { createHash } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Studio } from '#main/app.ts'
import { inkByLuma } from '#main/references/ink.ts'
import { RECENT_LIMIT } from '#main/references/library.ts'
import type { LibraryReferenceSummary } from '#shared/contract/references.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { boxImage, FRAME } from './images.ts'

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

function setup() {
  const dataDir = tempDir()
  let last: Studio | undefined
  /** A studio (re)started on the set-up's data folder. */
  const api = async () => {
    last = await openStudio({ dataDir })
    return last.api
  }
  /** The ink the last studio's evaluator scores for `id`. */
  const scoredInk = (id: string, frame: { width: number; height: number } = FRAME) => {
    if (!last) throw new Error('no studio opened yet')
    return last.services.references.loadReferenceInk(id, frame)
  }
  return { dataDir, libraryDir: join(dataDir, 'library'), api, scoredInk }
}

/** A different small picture for each n: a box at another place. */
const picture = (n: number): Promise<Buffer> =>
  sharp({ create: { width: 120, height: 80, channels: 3, background: '#fff' } })
    .composite([
      {
        input: { create: { width: 10, height: 10, channels: 3, background: '#000' } },
        left: 5 + n * 7,
        top: 5 + (n % 5) * 10
      }
    ])
    .png()
    .toBuffer()

describe('the reference library', () => {
  it('stores the original under its sha256 with a record and a thumbnail', async () => {
    const { api, libraryDir } = setup()
    const bytes = await boxImage().jpeg().toBuffer()
    const sha = createHash('sha256').update(bytes).digest('hex')
    const ref = (await (
      await api()
    ).importReference({ fileName: 'Still life.jpg', bytes: u8(bytes) })) as LibraryReferenceSummary
    expect(ref).toMatchObject({
      id: `lib:${sha}`,
      name: 'Still life',
      fileName: 'Still life.jpg',
      format: 'jpeg',
      bytes: bytes.length,
      ink: { mode: 'auto' }
    })
    expect(readdirSync(libraryDir).sort()).toEqual(
      [`${sha}.jpg`, `${sha}.json`, `${sha}.thumb.png`, 'recent.json'].sort()
    )
    expect(await readFile(join(libraryDir, `${sha}.jpg`))).toEqual(bytes)
    const record = JSON.parse(await readFile(join(libraryDir, `${sha}.json`), 'utf8'))
    expect(record).toMatchObject({
      version: 1,
      sha256: sha,
      fileName: 'Still life.jpg',
      width: 200,
      height: 100,
      ink: ref.ink
    })
    const thumb = await sharp(join(libraryDir, `${sha}.thumb.png`)).metadata()
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['png', 160, 80])
  })

  it('importing the same bytes again gives the same record and only updates its last use', async () => {
    const { api, libraryDir } = setup()
    const studio = await api()
    const bytes = await boxImage().png().toBuffer()
    const first = (await studio.importReference({ fileName: 'a.png', bytes: u8(bytes) })) as LibraryReferenceSummary
    await new Promise((r) => setTimeout(r, 5))
    const again = (await studio.importReference({
      fileName: 'renamed copy.png',
      bytes: u8(Buffer.from(bytes)),
      ink: { mode: 'threshold', threshold: 10 }
    })) as LibraryReferenceSummary
    expect({ ...again, lastUsedAt: first.lastUsedAt }).toEqual(first)
    expect(again.lastUsedAt > first.lastUsedAt).toBe(true)
    expect(readdirSync(libraryDir).filter((f) => f.endsWith('.json') && f !== 'recent.json')).toHaveLength(1)
    // A lost original comes back when the same file is imported again.
    const sha = first.id.slice(4)
    await rm(join(libraryDir, `${sha}.png`))
    await studio.importReference({ fileName: 'a.png', bytes: u8(bytes) })
    expect(await readFile(join(libraryDir, `${sha}.png`))).toEqual(bytes)
  })

  it('lists bundled references first, then the library by last use; all of it survives a restart', async () => {
    const { api } = setup()
    const studio = await api()
    const a = await studio.importReference({ fileName: 'a.png', bytes: u8(await picture(1)) })
    const b = await studio.importReference({ fileName: 'b.png', bytes: u8(await picture(2)) })
    await new Promise((r) => setTimeout(r, 5))
    await studio.getReferenceImage({ id: a.id })
    const ids = (await studio.listReferences()).map((r) => r.id)
    expect(ids).toEqual(['bundled:cube', 'bundled:vase', 'bundled:still-life', a.id, b.id])
    const restarted = await api()
    expect((await restarted.listReferences()).map((r) => r.id)).toEqual(ids)
    expect((await restarted.recentReferences()).map((r) => r.id)).toEqual([a.id, b.id])
  })

  it('keeps a bounded recent list, most recent first, bundled references included', async () => {
    const { api } = setup()
    const studio = await api()
    const imported = []
    for (let n = 0; n < RECENT_LIMIT + 2; n++)
      imported.push((await studio.importReference({ fileName: `p${n}.png`, bytes: u8(await picture(n)) })).id)
    await studio.getReferenceImage({ id: 'bundled:vase' })
    const recent = (await studio.recentReferences()).map((r) => r.id)
    expect(recent).toHaveLength(RECENT_LIMIT)
    expect(recent).toEqual(['bundled:vase', ...imported.reverse().slice(0, RECENT_LIMIT - 1)])
  })

  it('skips a damaged record file instead of failing, and leaves it alone', async () => {
    const { api, libraryDir } = setup()
    const studio = await api()
    const ok = await studio.importReference({ fileName: 'ok.png', bytes: u8(await picture(3)) })
    const bad = join(libraryDir, `${'ab'.repeat(32)}.json`)
    await writeFile(bad, '{"version": 1, "sha256": "oops"')
    await writeFile(join(libraryDir, 'recent.json'), 'not json')
    const restarted = await api()
    expect((await restarted.listReferences()).map((r) => r.id)).toContain(ok.id)
    expect(await restarted.recentReferences()).toEqual([])
    expect(existsSync(bad)).toBe(true)
  })

  it('gives thumbnails for bundled and library references', async () => {
    const { api, libraryDir } = setup()
    const studio = await api()
    const vase = await studio.getReferenceThumbnail({ id: 'bundled:vase' })
    expect([vase.width, vase.height]).toEqual([128, 160])
    expect((await sharp(vase.png).metadata()).width).toBe(128)
    const ref = await studio.importReference({
      fileName: 'tall.png',
      bytes: u8(await boxImage().rotate(90).png().toBuffer())
    })
    const thumb = await studio.getReferenceThumbnail({ id: ref.id })
    expect([thumb.width, thumb.height]).toEqual([80, 160])
    // A lost thumbnail is made again from the original.
    await rm(join(libraryDir, `${ref.id.slice(4)}.thumb.png`))
    expect((await studio.getReferenceThumbnail({ id: ref.id })).height).toBe(160)
  })

  it('says which id was not found', async () => {
    const { api } = setup()
    const studio = await api()
    await expect(studio.getReferenceImage({ id: `lib:${'0'.repeat(64)}` })).rejects.toMatchObject({
      code: 'not-found',
      message: `no reference with id "lib:${'0'.repeat(64)}"`
    })
    await expect(studio.previewInk({ id: 'lib:nope', ink: { mode: 'auto' } })).rejects.toMatchObject({
      code: 'not-found'
    })
  })
})

describe('ink settings on references', () => {
  it('bundled line drawings use the spec rule at 128: exactly the luma rule on the image the studio shows', async () => {
    const { api, scoredInk } = setup()
    const studio = await api()
    for (const id of ['bundled:cube', 'bundled:vase', 'bundled:still-life']) {
      const shown = await studio.getReferenceImage({ id })
      const { data } = await sharp(shown.png).raw().toBuffer({ resolveWithObject: true })
      const ink = await scoredInk(id, shown)
      expect(ink.settings).toEqual({ mode: 'threshold', threshold: 128 })
      expect(ink.mask).toEqual(inkByLuma(data, 3, shown.width * shown.height, 128))
      expect(ink.inkPixels).toBeGreaterThan(1000)
    }
  })

  it('previews any setting without saving it; the preview shows exactly the ink that would be scored', async () => {
    const { api, scoredInk } = setup()
    const studio = await api()
    const settingsList = [
      { mode: 'threshold', threshold: 200 },
      { mode: 'auto' },
      { mode: 'outline', threshold: 30 }
    ] as const
    for (const ink of settingsList) {
      const preview = await studio.previewInk({ id: 'bundled:still-life', ink })
      expect(preview.settings.mode).toBe(ink.mode)
      const { data, info } = await sharp(preview.png).raw().toBuffer({ resolveWithObject: true })
      // The still life is 1200 x 900: its frame is 500 x 375.
      expect([info.width, info.height, preview.width, preview.height]).toEqual([500, 375, 500, 375])
      await studio.setReferenceInk({ id: 'bundled:still-life', ink })
      const scored = await scoredInk('bundled:still-life', preview)
      expect(scored.settings).toEqual(preview.settings)
      expect(scored.inkPixels).toBe(preview.inkPixels)
      // Ink pixels are painted in the preview colour, and only they are.
      for (let p = 0; p < 500 * 375; p += 37) {
        const blue = data[p * 3] === 24 && data[p * 3 + 1] === 64 && data[p * 3 + 2] === 200
        expect(blue).toBe(scored.mask[p] === 1)
      }
    }
  })

  it('auto picks an Otsu threshold and keeps it on the record; saved settings survive a restart', async () => {
    const { api, scoredInk } = setup()
    const studio = await api()
    // Dark grey ink (Y = 60) on light grey paper (Y = 200): Otsu splits between them.
    const bytes = await sharp({
      create: { width: 200, height: 100, channels: 3, background: { r: 200, g: 200, b: 200 } }
    })
      .composite([
        {
          input: { create: { width: 40, height: 40, channels: 3, background: { r: 60, g: 60, b: 60 } } },
          left: 20,
          top: 10
        }
      ])
      .png()
      .toBuffer()
    const ref = await studio.importReference({ fileName: 'grey.png', bytes: u8(bytes) })
    expect(ref.ink.mode).toBe('auto')
    expect(ref.ink.threshold).toBeGreaterThan(60)
    expect(ref.ink.threshold).toBeLessThanOrEqual(200)
    expect((await scoredInk(ref.id)).inkPixels).toBeGreaterThan(9000)
    const saved = await studio.setReferenceInk({ id: ref.id, ink: { mode: 'threshold', threshold: 61 } })
    expect(saved.ink).toEqual({ mode: 'threshold', threshold: 61 })
    const restarted = await api()
    expect((await restarted.listReferences()).find((r) => r.id === ref.id)?.ink).toEqual({
      mode: 'threshold',
      threshold: 61
    })
    const bundled = await restarted.setReferenceInk({ id: 'bundled:cube', ink: { mode: 'outline', threshold: 40 } })
    expect(bundled.ink).toEqual({ mode: 'outline', threshold: 40 })
    expect((await (await api()).listReferences()).find((r) => r.id === 'bundled:cube')?.ink).toEqual({
      mode: 'outline',
      threshold: 40
    })
  })

  it('opening a reference while its settings change loses neither change', async () => {
    const { api } = setup()
    const studio = await api()
    const ref = await studio.importReference({ fileName: 'busy.png', bytes: u8(await picture(4)) })
    await new Promise((r) => setTimeout(r, 5))
    await Promise.all([
      studio.getReferenceImage({ id: ref.id }),
      studio.setReferenceInk({ id: ref.id, ink: { mode: 'threshold', threshold: 61 } }),
      studio.getReferenceImage({ id: ref.id }),
      studio.getReferenceThumbnail({ id: ref.id })
    ])
    const after = (await (await api()).listReferences()).find((r) => r.id === ref.id) as LibraryReferenceSummary
    expect(after.ink).toEqual({ mode: 'threshold', threshold: 61 })
    expect(after.lastUsedAt > (ref as LibraryReferenceSummary).lastUsedAt).toBe(true)
  })

  it('refuses settings that extract no ink and keeps the old ones', async () => {
    const { api, scoredInk } = setup()
    const studio = await api()
    await expect(
      studio.setReferenceInk({ id: 'bundled:vase', ink: { mode: 'threshold', threshold: 0 } })
    ).rejects.toMatchObject({
      code: 'no-ink',
      message:
        'Vase: the reference has no ink; lower the threshold, try Invert for light lines on a dark or transparent ground, or pick another image'
    })
    expect((await scoredInk('bundled:vase')).settings).toEqual({ mode: 'threshold', threshold: 128 })
    // The preview of such settings is not an error: it shows nothing and says so.
    expect((await studio.previewInk({ id: 'bundled:vase', ink: { mode: 'threshold', threshold: 0 } })).inkPixels).toBe(
      0
    )
  })

  it('outline mode turns a photo-like picture into lines, ignoring the border against the padding', async () => {
    const { api, scoredInk } = setup()
    const studio = await api()
    // A mid-grey "photo" filling the content area with a dark disc: outline = the disc's rim only.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#777"/><circle cx="150" cy="100" r="60" fill="#222"/></svg>`
    const png = await sharp(Buffer.from(svg)).png().toBuffer()
    const ref = await studio.importReference({
      fileName: 'disc.png',
      bytes: u8(png),
      ink: { mode: 'outline', threshold: 20 }
    })
    const { mask } = await scoredInk(ref.id)
    // Fitted: scale 5/3, content 500 x 333 at row 83; the disc's centre at (250, 83 + 167), radius 100.
    const [cx, cy, r] = [250, 83 + 500 / 3, 100]
    let n = 0
    for (let p = 0; p < mask.length; p++) {
      if (!mask[p]) continue
      n++
      const x = p % 500
      const y = (p - x) / 500
      expect(Math.abs(Math.hypot(x - cx, y - cy) - r)).toBeLessThan(3)
    }
    // A thin line all the way round: about 2 pi r pixels (diagonal steps count once).
    expect(n).toBeGreaterThan(2 * Math.PI * r * 0.65)
    expect(n).toBeLessThan(2 * Math.PI * r * 1.2)
  })
})
