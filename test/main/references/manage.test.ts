import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Studio } from '#main/app.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { lumaFloor } from '#main/references/ink.ts'
import { REMOVED_KEEP_MS, openLibrary } from '#main/references/library.ts'
import { looksLikePhoto, toneProfile } from '#main/references/tones.ts'
import { fitImage } from '#main/references/fit.ts'
import type { LibraryReferenceSummary } from '#shared/contract/references.ts'
import { panoramaPng, photoJpeg } from '#test/helpers/reference-images.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { inkBounds } from './images.ts'

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

async function profileOf(bytes: Buffer): Promise<ReturnType<typeof toneProfile>> {
  const meta = await sharp(bytes).metadata()
  const fitted = await fitImage(sharp(bytes), meta.width, meta.height, { width: 500, height: 500 })
  return toneProfile(lumaFloor(fitted.rgb, 500 * 500), 500, fitted.content)
}

/** A pencil sketch as a scan shows it: off-white paper, grey lines, a little grain. */
async function pencilScan(): Promise<Buffer> {
  const [w, h] = [800, 600]
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#ebe6da"/>
<g stroke="#77736b" stroke-width="4" fill="none"><path d="M100 500 L400 100 L700 500 Z"/><circle cx="400" cy="380" r="90"/></g></svg>`
  const base = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true })
  for (let i = 0; i < base.data.length; i++) base.data[i] = Math.max(0, base.data[i] - ((i * 2654435761) % 7))
  return sharp(base.data, { raw: { width: w, height: h, channels: base.info.channels } })
    .png()
    .toBuffer()
}

describe('telling a photograph from a drawing', () => {
  it('a photo spreads over many tones; line drawings and a pencil scan do not', async () => {
    const photo = await profileOf(await photoJpeg())
    expect(looksLikePhoto(photo)).toBe(true)
    for (const file of ['cube.png', 'vase.png', 'still-life.png']) {
      const p = await profileOf(await sharp(join('resources/references', file)).png().toBuffer())
      expect(looksLikePhoto(p), file).toBe(false)
    }
    expect(looksLikePhoto(await profileOf(await pencilScan()))).toBe(false)
    expect(looksLikePhoto(await profileOf(await panoramaPng()))).toBe(false)
  })
})

describe('references from photos and odd files', () => {
  it('imports a photo as its outline, and a drawing by the luma rule', async () => {
    const { api } = await openStudio({ dataDir: tempDir() })
    const photo = (await api.importReference({
      fileName: 'still life.jpg',
      bytes: u8(await photoJpeg())
    })) as LibraryReferenceSummary
    expect(photo).toMatchObject({ photo: true, ink: { mode: 'outline', threshold: 32 } })
    const drawing = (await api.importReference({
      fileName: 'pano.png',
      bytes: u8(await panoramaPng())
    })) as LibraryReferenceSummary
    expect(drawing).toMatchObject({ photo: false, ink: { mode: 'auto' } })
    // An explicit choice is kept as given.
    const chosen = await api.importReference({
      fileName: 'again.jpg',
      bytes: u8(
        await sharp(await photoJpeg())
          .jpeg({ quality: 80 })
          .toBuffer()
      ),
      ink: { mode: 'threshold', threshold: 100 }
    })
    expect(chosen.ink).toEqual({ mode: 'threshold', threshold: 100 })
  })

  it('reads white lines on a transparent ground inverted, where the plain rule finds no ink', async () => {
    const { api, services } = await openStudio({ dataDir: tempDir() })
    // White box outline (x 20..59, y 10..49) on transparent, 200 x 100.
    const rgba = Buffer.alloc(200 * 100 * 4)
    for (let y = 10; y < 50; y++)
      for (let x = 20; x < 60; x++) {
        const edge = y < 14 || y >= 46 || x < 24 || x >= 56
        if (edge) rgba.fill(255, (y * 200 + x) * 4, (y * 200 + x) * 4 + 4)
      }
    const bytes = await sharp(rgba, { raw: { width: 200, height: 100, channels: 4 } })
      .png()
      .toBuffer()
    await expect(
      api.importReference({ fileName: 'plain.png', bytes: u8(bytes), ink: { mode: 'auto' } })
    ).rejects.toMatchObject({ code: 'no-ink', message: expect.stringContaining('try Invert') })
    const ref = await api.importReference({ fileName: 'white.png', bytes: u8(bytes) })
    expect(ref.ink).toMatchObject({ mode: 'auto', invert: true })
    // The frame is 500 x 250 (2.5x): the box lands at x 50..149, y 25..124.
    const ink = await services.references.loadReferenceInk(ref.id, { width: 500, height: 250 })
    const b = inkBounds(ink.mask, 500)!
    for (const [k, v] of Object.entries({ x0: 50, x1: 149, y0: 25, y1: 124 }))
      expect(Math.abs(b[k as 'x0'] - v)).toBeLessThanOrEqual(2)
    // Its lines, as the studio shows them: black exactly where the scored ink is.
    const lines = await api.getReferenceLines({ id: ref.id })
    const { data, info } = await sharp(lines.png).greyscale().raw().toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([500, 250])
    for (let p = 0; p < ink.mask.length; p++) expect(data[p] === 0).toBe(ink.mask[p] === 1)
  })
})

describe('managing the library', () => {
  async function setup(): Promise<{ studio: Studio; id: string; bytes: Buffer }> {
    const studio = await openStudio({ dataDir: tempDir() })
    const bytes = await panoramaPng()
    const { id } = await studio.api.importReference({ fileName: 'hills.png', bytes: u8(bytes) })
    return { studio, id, bytes }
  }

  it('renames a reference, in the library and in the history', async () => {
    const { studio, id } = await setup()
    const { attemptId } = await studio.api.startAttempt({ referenceId: id })
    await studio.api.commitStroke({
      attemptId,
      stroke: { tool: 'pen', size: 3, points: [{ x: 10, y: 10, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }] }
    })
    expect(await dispatch(studio.api, 'renameReference', { id, name: '  Hills at dusk ' })).toMatchObject({
      ok: true,
      value: { name: 'Hills at dusk' }
    })
    expect((await studio.api.listReferences()).find((r) => r.id === id)?.name).toBe('Hills at dusk')
    expect((await studio.api.historyReferences())[0].name).toBe('Hills at dusk')
    for (const name of ['', 'two\nlines', 'x'.repeat(121)])
      expect(await dispatch(studio.api, 'renameReference', { id, name })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' }
      })
    await expect(studio.api.renameReference({ id: 'bundled:cube', name: 'Mine' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'a bundled reference cannot be renamed; import a copy of it to change it'
    })
  })

  it('keeps tags trimmed, in order, without repeats', async () => {
    const { studio, id } = await setup()
    const r = await dispatch(studio.api, 'setReferenceTags', { id, tags: [' landscape', 'Class 3', 'LANDSCAPE'] })
    expect(r).toMatchObject({ ok: true, value: { tags: ['landscape', 'Class 3'] } })
    expect((await studio.api.listReferences()).find((x) => x.id === id)).toMatchObject({
      tags: ['landscape', 'Class 3']
    })
    const many = Array.from({ length: 13 }, (_, i) => `t${i}`)
    expect(await dispatch(studio.api, 'setReferenceTags', { id, tags: many })).toMatchObject({ ok: false })
  })

  it('removes a reference from every list until it is restored or imported again', async () => {
    const { studio, id, bytes } = await setup()
    await studio.api.getReferenceImage({ id })
    expect((await studio.api.recentReferences()).map((r) => r.id)).toContain(id)
    await studio.api.removeReference({ id })
    expect((await studio.api.listReferences()).map((r) => r.id)).not.toContain(id)
    expect((await studio.api.recentReferences()).map((r) => r.id)).not.toContain(id)
    await expect(studio.api.getReferenceImage({ id })).rejects.toMatchObject({ code: 'not-found' })
    await studio.api.restoreReference({ id })
    expect((await studio.api.listReferences()).map((r) => r.id)).toContain(id)
    await studio.api.removeReference({ id })
    // The same bytes imported again bring it back, name and all.
    await studio.api.renameReference({ id, name: 'Kept name' }).catch(() => undefined)
    const again = await studio.api.importReference({ fileName: 'hills-copy.png', bytes: u8(bytes) })
    expect(again.id).toBe(id)
    expect((await studio.api.listReferences()).map((r) => r.id)).toContain(id)
    await expect(studio.api.removeReference({ id: 'bundled:vase' })).rejects.toMatchObject({ code: 'invalid-input' })
  })

  it('deletes the files of a reference removed more than 30 days ago, at the next write', async () => {
    const dir = tempDir()
    const sha = 'a'.repeat(64)
    const record = {
      version: 1,
      sha256: sha,
      fileName: 'old.png',
      name: 'old',
      format: 'png',
      bytes: 3,
      width: 10,
      height: 10,
      ink: { mode: 'auto', threshold: 120 },
      createdAt: '2020-01-01T00:00:00.000Z',
      lastUsedAt: '2020-01-01T00:00:00.000Z',
      removedAt: new Date(Date.now() - REMOVED_KEEP_MS - 60_000).toISOString()
    }
    writeFileSync(join(dir, `${sha}.json`), JSON.stringify(record))
    writeFileSync(join(dir, `${sha}.png`), 'png')
    writeFileSync(join(dir, `${sha}.thumb.png`), 'png')
    const fresh = { ...record, sha256: 'b'.repeat(64), removedAt: new Date().toISOString() }
    writeFileSync(join(dir, `${fresh.sha256}.json`), JSON.stringify(fresh))
    const library = openLibrary(dir)
    expect(await library.get(sha)).toBeDefined()
    await library.markRecent('lib:x')
    expect(existsSync(join(dir, `${sha}.png`))).toBe(false)
    expect(readdirSync(dir).filter((f) => f.startsWith(sha))).toEqual([])
    expect(await library.get(sha)).toBeUndefined()
    // Removed lately: still there, restorable.
    expect(await library.get(fresh.sha256)).toBeDefined()
  })
})
