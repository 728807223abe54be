import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { open, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { Studio } from '#main/app.ts'
import { dispatch } from '#main/api/dispatch.ts'
import type { ReferenceInk } from '#main/references/service.ts'
import type { StudioApi } from '#shared/contract/api.ts'
import { MAX_REFERENCE_BYTES } from '#shared/contract/references.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { BOX_IN_FRAME, boxImage, boxRgb, expectNear, FRAME, inkBounds, lineSvg } from './images.ts'

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)

function setup(shell: 'host' | 'electron' = 'host') {
  const dataDir = tempDir()
  const ctx = { shell, dataDir, last: undefined as Studio | undefined }
  return { dataDir, libraryDir: join(dataDir, 'library'), ctx }
}

type Ctx = ReturnType<typeof setup>['ctx']

/** A studio (re)started on the set-up's data folder. */
async function apiFor(ctx: Ctx): Promise<StudioApi> {
  ctx.last = await openStudio({ shell: ctx.shell, dataDir: ctx.dataDir })
  return ctx.last.api
}

/** The ink the last studio's evaluator scores for `id`. */
function scoredInk(ctx: Ctx, id: string): Promise<ReferenceInk> {
  if (!ctx.last) throw new Error('no studio opened yet')
  return ctx.last.services.references.loadReferenceInk(id, FRAME)
}

describe('importing references: the formats users meet', () => {
  const cases: [string, string, () => Promise<Buffer>][] = [
    ['PNG, 8-bit RGB', 'box.png', () => boxImage().png().toBuffer()],
    ['PNG, 16-bit', 'box16.png', () => boxImage().toColourspace('rgb16').png().toBuffer()],
    ['PNG, palette', 'pal.png', () => boxImage().png({ palette: true, colours: 4 }).toBuffer()],
    ['PNG, grey', 'grey.png', () => boxImage().greyscale().png().toBuffer()],
    ['JPEG', 'box.jpg', () => boxImage().jpeg({ quality: 90 }).toBuffer()],
    ['WebP', 'box.webp', () => boxImage().webp({ quality: 90 }).toBuffer()],
    ['AVIF', 'box.avif', () => boxImage().avif({ quality: 70 }).toBuffer()],
    ['TIFF', 'box.tiff', () => boxImage().tiff({ compression: 'lzw' }).toBuffer()],
    ['GIF', 'box.gif', () => boxImage().gif().toBuffer()],
    ['SVG', 'box.svg', async () => Buffer.from(lineSvg())]
  ]
  for (const [label, fileName, make] of cases) {
    it(`${label}: decoded, fitted into the frame, ink where the picture has it`, async () => {
      const { ctx } = setup()
      const api = await apiFor(ctx)
      const bytes = await make()
      const ref = await api.importReference({ fileName, bytes: u8(bytes) })
      expect(ref).toMatchObject({ source: 'library', fileName, width: 200, height: 100, bytes: bytes.length })
      expect(ref.id).toMatch(/^lib:[0-9a-f]{64}$/)
      const ink = await scoredInk(ctx, ref.id)
      expect([ink.width, ink.height]).toEqual([500, 500])
      expectNear(inkBounds(ink.mask, 500), BOX_IN_FRAME)
    })
  }

  it('PNG with alpha: transparent pixels are background, whatever colour they hold', async () => {
    const { ctx } = setup()
    const rgba = Buffer.alloc(200 * 100 * 4) // transparent black everywhere
    const box = boxRgb()
    for (let p = 0; p < 200 * 100; p++) if (box[p * 3] === 0) rgba[p * 4 + 3] = 255
    const bytes = await sharp(rgba, { raw: { width: 200, height: 100, channels: 4 } })
      .png()
      .toBuffer()
    const ref = await (await apiFor(ctx)).importReference({ fileName: 'alpha.png', bytes: u8(bytes) })
    expectNear(inkBounds((await scoredInk(ctx, ref.id)).mask, 500), BOX_IN_FRAME, 1)
  })

  it('grey PNG with alpha: a half-transparent black reads as mid grey', async () => {
    const { ctx } = setup()
    const ga = Buffer.alloc(200 * 100 * 2)
    for (let p = 0; p < 200 * 100; p++) ga[p * 2 + 1] = boxRgb()[p * 3] === 0 ? 140 : 0
    const bytes = await sharp(ga, { raw: { width: 200, height: 100, channels: 2 } })
      .png()
      .toBuffer()
    const api = await apiFor(ctx)
    // Over white, alpha 140 of black gives Y = 255 * (1 - 140/255) = 115: ink at 128, not at 100.
    const ref = await api.importReference({
      fileName: 'ga.png',
      bytes: u8(bytes),
      ink: { mode: 'threshold', threshold: 128 }
    })
    expectNear(inkBounds((await scoredInk(ctx, ref.id)).mask, 500), BOX_IN_FRAME, 2)
    // Resampling never makes a pixel darker than the picture: no ink appears at the box's edges.
    await expect(api.setReferenceInk({ id: ref.id, ink: { mode: 'threshold', threshold: 100 } })).rejects.toMatchObject(
      { code: 'no-ink' }
    )
  })

  it('JPEG: the EXIF orientation is applied', async () => {
    const { ctx } = setup()
    // Orientation 6: shown turned 90 degrees clockwise, so 100 x 200 with the box at x 50..89, y 20..59.
    const bytes = await boxImage().jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()
    const ref = await (await apiFor(ctx)).importReference({ fileName: 'turned.jpg', bytes: u8(bytes) })
    expect([ref.width, ref.height]).toEqual([100, 200])
    // Fitted: 250 x 500 at x 125; the box at 125 + 2.5 * (50..89) = 250..349, rows 2.5 * (20..59) = 50..149.
    expectNear(inkBounds((await scoredInk(ctx, ref.id)).mask, 500), { x0: 250, x1: 349, y0: 50, y1: 149 })
  })

  it('GIF: the first frame of an animation', async () => {
    const { ctx } = setup()
    const first = boxRgb()
    const second = boxRgb(200, 100, { x: 140, y: 50, w: 40, h: 40 })
    const bytes = await sharp(Buffer.concat([first, second]), {
      raw: { width: 200, height: 200, channels: 3, pageHeight: 100 }
    })
      .gif({ delay: [100, 100] })
      .toBuffer()
    expect((await sharp(bytes).metadata()).pages).toBe(2)
    const ref = await (await apiFor(ctx)).importReference({ fileName: 'anim.gif', bytes: u8(bytes) })
    expect([ref.width, ref.height]).toEqual([200, 100])
    expectNear(inkBounds((await scoredInk(ctx, ref.id)).mask, 500), BOX_IN_FRAME, 1)
  })

  it('SVG: a small drawing is rendered at its size in the frame (sharp picks the density), so its lines stay crisp', async () => {
    const { ctx } = setup()
    // 20 x 10 units: a line 1 unit thick becomes 25 pixels thick in the 500 x 500 frame.
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#fff"/><rect x="4" y="2" width="1" height="6" fill="#000"/></svg>'
    const api = await apiFor(ctx)
    const ref = await api.importReference({ fileName: 'tiny.svg', bytes: u8(Buffer.from(svg)) })
    const { data } = await sharp((await api.getReferenceImage({ id: ref.id })).png)
      .raw()
      .toBuffer({ resolveWithObject: true })
    let grey = 0
    let black = 0
    for (let p = 0; p < 500 * 500; p++) {
      const v = data[p * 3]
      if (v < 16) black++
      else if (v < 240) grey++
    }
    // 25 x 150 pixels of black, with at most a pixel of smoothing along its edges.
    expect(black).toBeGreaterThan(23 * 148)
    expect(grey).toBeLessThan(2 * (25 + 150) * 2)
  })

  it('from a path in the desktop app, and the library copy outlives the original file', async () => {
    const { ctx, dataDir } = setup('electron')
    const api = await apiFor(ctx)
    const path = join(dataDir, 'elsewhere.png')
    await writeFile(path, await boxImage().png().toBuffer())
    const ref = await api.importReference({ path })
    expect(ref).toMatchObject({ name: 'elsewhere', fileName: 'elsewhere.png', format: 'png' })
    const { rm } = await import('node:fs/promises')
    await rm(path)
    const fresh = await apiFor(ctx)
    const image = await fresh.getReferenceImage({ id: ref.id })
    expect(image.png.length).toBeGreaterThan(100)
  })

  it('paths are refused from a browser (Node host): a page must upload the bytes', async () => {
    const { ctx, dataDir } = setup('host')
    const path = join(dataDir, 'x.png')
    await writeFile(path, await boxImage().png().toBuffer())
    await expect((await apiFor(ctx)).importReference({ path })).rejects.toMatchObject({ code: 'forbidden' })
  })
})

describe('importing references: hostile or broken files', () => {
  /** Import, expect a refusal with this code and message, and check nothing was written. */
  async function refused(
    fileName: string,
    bytes: Buffer | Uint8Array,
    code: string,
    message: RegExp | string,
    ink?: { mode: 'threshold'; threshold: number }
  ): Promise<void> {
    const { ctx, libraryDir } = setup()
    const api = await apiFor(ctx)
    const result = await dispatch(api, 'importReference', {
      fileName,
      bytes: bytes instanceof Uint8Array ? bytes : u8(bytes),
      ...(ink ? { ink } : {})
    })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe(code)
    if (typeof message === 'string') expect(result.error.message).toBe(message)
    else expect(result.error.message).toMatch(message)
    expect(existsSync(libraryDir) ? readdirSync(libraryDir) : []).toEqual([])
    expect(await api.listReferences()).toHaveLength(3)
  }

  it('an empty file', async () => {
    await refused('empty.png', Buffer.alloc(0), 'bad-image', 'empty.png: the file is empty')
  })

  it('more than 100 MB, uploaded', async () => {
    await refused(
      'huge.png',
      Buffer.alloc(MAX_REFERENCE_BYTES + 1),
      'bad-image',
      'huge.png: the file is 100.0 MB; references can be at most 100.0 MB'
    )
  })

  it('more than 100 MB, by path: refused before it is read', async () => {
    const { ctx, dataDir, libraryDir } = setup('electron')
    const path = join(dataDir, 'huge.tif')
    const handle = await open(path, 'w')
    await handle.truncate(250 * 1000 * 1000) // sparse: no disk used
    await handle.close()
    await expect((await apiFor(ctx)).importReference({ path })).rejects.toMatchObject({
      code: 'bad-image',
      message: 'huge.tif: the file is 250.0 MB; references can be at most 100.0 MB'
    })
    expect(existsSync(libraryDir)).toBe(false)
  })

  it('a named pipe or a folder given as a path: refused without waiting', async () => {
    const { ctx, dataDir } = setup('electron')
    const api = await apiFor(ctx)
    const fifo = join(dataDir, 'pipe.png')
    execFileSync('mkfifo', [fifo])
    await expect(api.importReference({ path: fifo })).rejects.toMatchObject({
      code: 'bad-image',
      message: 'pipe.png: this is not a regular file'
    })
    await expect(api.importReference({ path: dataDir })).rejects.toMatchObject({
      code: 'bad-image',
      message: expect.stringMatching(/this is (a folder|not a regular file)/)
    })
    await expect(api.importReference({ path: join(dataDir, 'gone.png') })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^gone\.png: no such file/)
    })
  })

  it('not an image', async () => {
    await refused(
      'notes.png',
      Buffer.from('these are my notes, not a picture\n'),
      'bad-image',
      /^notes\.png: this is not an image Sightline can read/
    )
    await refused(
      'page.svg',
      Buffer.from('<html><body>hello</body></html>'),
      'bad-image',
      /^page\.svg: this is not an image/
    )
  })

  it('an image format we do not read', async () => {
    const bmp = Buffer.alloc(70)
    bmp.write('BM', 0, 'latin1')
    await refused('old.bmp', bmp, 'bad-image', 'old.bmp: BMP images are not supported; save it as PNG or JPEG')
  })

  it('truncated data', async () => {
    const png = await boxImage().png().toBuffer()
    await refused(
      'cut.png',
      png.subarray(0, Math.floor(png.length / 2)),
      'bad-image',
      /^cut\.png: the PNG data is corrupt or truncated \(.+\)$/
    )
    const jpg = await boxImage().jpeg().toBuffer()
    await refused(
      'cut.jpg',
      jpg.subarray(0, jpg.length - 200),
      'bad-image',
      /^cut\.jpg: the JPEG data is corrupt or truncated \(.*premature end.*\)$/i
    )
    const gif = await boxImage().gif().toBuffer()
    await refused(
      'cut.gif',
      gif.subarray(0, gif.length - 30),
      'bad-image',
      /^cut\.gif: the GIF data is corrupt or truncated/
    )
    const webp = await boxImage().webp().toBuffer()
    await refused('cut.webp', webp.subarray(0, 40), 'bad-image', /^cut\.webp: the WebP data is corrupt or truncated/)
  })

  it('corrupt data inside an intact file', async () => {
    const noisy = Buffer.alloc(300 * 200 * 3)
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 7919) % 251
    const jpg = await sharp(noisy, { raw: { width: 300, height: 200, channels: 3 } })
      .jpeg()
      .toBuffer()
    for (let i = 5000; i < 5100; i++) jpg[i] ^= 0x5a
    await refused('bad.jpg', jpg, 'bad-image', /^bad\.jpg: the JPEG data is corrupt or truncated \(Corrupt JPEG data/)
    const png = await boxImage().png().toBuffer()
    png[png.length - 40] ^= 0xff
    await refused('bad.png', png, 'bad-image', /^bad\.png: the PNG data is corrupt or truncated/)
    const header = await boxImage().png().toBuffer()
    header.writeUInt32BE(0, 16) // width 0 in IHDR
    await refused('zero.png', header, 'bad-image', /^zero\.png: the PNG data is corrupt or truncated/)
  })

  it('more than 40 megapixels', async () => {
    const big = await sharp({ create: { width: 8000, height: 5001, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 1 })
      .toBuffer()
    await refused(
      'poster.png',
      big,
      'bad-image',
      'poster.png: the image is 8000 x 5001 (40.0 megapixels); references can be at most 40 megapixels'
    )
  })

  it('an SVG that links to files or URLs', async () => {
    await refused(
      'web.svg',
      Buffer.from(lineSvg('<image href="http://127.0.0.1:9/cat.png" width="10" height="10"/>')),
      'bad-image',
      'web.svg: the SVG is not self-contained: it links to "http://127.0.0.1:9/cat.png" (href); embed or remove what it links to'
    )
    await refused(
      'local.svg',
      Buffer.from(lineSvg('<image xlink:href="../secret.png" xmlns:xlink="http://www.w3.org/1999/xlink"/>')),
      'bad-image',
      /^local\.svg: the SVG is not self-contained: it links to "\.\.\/secret\.png"/
    )
    await refused(
      'css.svg',
      Buffer.from(lineSvg('<style>rect { fill: url(pattern.svg#p) }</style>')),
      'bad-image',
      /^css\.svg: .*CSS url\(\)/
    )
    await refused(
      'imp.svg',
      Buffer.from(lineSvg('<style>@import url(#x);</style>')),
      'bad-image',
      /^imp\.svg: .*@import/
    )
    await refused(
      'xxe.svg',
      Buffer.from(
        `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]>${lineSvg('<text>&x;</text>')}`
      ),
      'bad-image',
      /^xxe\.svg: .*external XML entity/
    )
  })

  it('an SVG in another text encoding', async () => {
    await refused(
      'latin.svg',
      Buffer.from(`<?xml version="1.0" encoding="UTF-7"?>${lineSvg()}`),
      'bad-image',
      'latin.svg: the SVG declares the text encoding "UTF-7"; save it as UTF-8'
    )
  })

  it('no ink at the chosen settings', async () => {
    const white = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
    await refused(
      'blank.png',
      white,
      'no-ink',
      'blank.png: the reference has no ink; lower the threshold, try Invert for light lines on a dark or transparent ground, or pick another image'
    )
    const pale = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#e0e0e0' } })
      .png()
      .toBuffer()
    await refused('pale.png', pale, 'no-ink', /^pale\.png: the reference has no ink/)
    await refused('box.png', await boxImage().png().toBuffer(), 'no-ink', /^box\.png: the reference has no ink/, {
      mode: 'threshold',
      threshold: 0
    })
  })

  it('a payload that is not an upload at all', async () => {
    const { ctx } = setup()
    const api = await apiFor(ctx)
    expect(await dispatch(api, 'importReference', { fileName: 'x.png', bytes: 'aGVsbG8=' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' }
    })
    expect(
      await dispatch(api, 'importReference', {
        fileName: 'x.png',
        bytes: new Uint8Array(3),
        ink: { mode: 'auto', threshold: 3 }
      })
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(await dispatch(api, 'importReference', { path: 'a', fileName: 'x.png' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' }
    })
  })
})

describe('SVG decoding never fetches anything', () => {
  it('even when handed an SVG that links to a live server and a local file', async () => {
    let requests = 0
    const server = createServer((_req, res) => {
      requests++
      res.writeHead(200, { 'Content-Type': 'image/png' })
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const dir = tempDir()
    const black = join(dir, 'black.png')
    await sharp({ create: { width: 50, height: 50, channels: 3, background: '#000' } })
      .png()
      .toFile(black)
    try {
      // Straight to sharp, as the import's own decoder does after its scan: bytes, no base URL.
      const svg = lineSvg(
        `<image href="http://127.0.0.1:${port}/x.png" x="100" y="0" width="100" height="100"/><image href="file://${black}" x="100" y="0" width="100" height="100"/><image href="${black}" x="100" y="0" width="100" height="100"/>`
      )
      const { data, info } = await sharp(Buffer.from(svg))
        .flatten({ background: '#fff' })
        .raw()
        .toBuffer({ resolveWithObject: true })
      expect(requests).toBe(0)
      // The right half, where the linked images would be, stayed white.
      for (let y = 0; y < info.height; y += 5)
        for (let x = 110; x < 190; x += 5) expect(data[(y * info.width + x) * info.channels]).toBe(255)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
