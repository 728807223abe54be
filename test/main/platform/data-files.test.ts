import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { assertNoLinks, ensureDataFolder, isPngBytes, readDataFile, readDataPng } from '#main/platform/data-files.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(24).fill(0)])

/** A data folder with a secret file beside it, and links of every kind pointing out of it. */
function setUp(): { root: string; secret: string; elsewhere: string } {
  const top = tempDir()
  const root = join(top, 'data')
  const elsewhere = join(top, 'elsewhere')
  mkdirSync(join(root, 'attempts', 'a'), { recursive: true })
  mkdirSync(elsewhere)
  const secret = join(top, 'secret.png')
  writeFileSync(secret, PNG)
  writeFileSync(join(root, 'attempts', 'a', 'real.png'), PNG)
  symlinkSync(secret, join(root, 'attempts', 'a', 'linked.png'))
  symlinkSync(elsewhere, join(root, 'linked-folder'))
  writeFileSync(join(elsewhere, 'inside.png'), PNG)
  symlinkSync(join(root, 'attempts', 'a', 'real.png'), join(root, 'inner-link.png')) // even to our own file
  mkdirSync(join(root, 'a-folder.png'))
  writeFileSync(join(root, 'not-a.png'), 'hello, world: this is not a PNG at all')
  return { root, secret, elsewhere }
}

describe('files of the data folder, never through a link', () => {
  it('reads regular files, answers null for absent ones, and refuses links, folders and the outside', async () => {
    const { root, secret } = setUp()
    expect(await readDataFile(root, join(root, 'attempts', 'a', 'real.png'))).toEqual(Buffer.from(PNG))
    expect(await readDataFile(root, join(root, 'attempts', 'a', 'none.png'))).toBeNull()
    expect(await readDataFile(root, join(root, 'no-folder', 'x', 'none.png'))).toBeNull()
    for (const path of [
      join(root, 'attempts', 'a', 'linked.png'),
      join(root, 'linked-folder', 'inside.png'),
      join(root, 'inner-link.png')
    ])
      await expect(readDataFile(root, path)).rejects.toMatchObject({
        code: 'storage',
        message: expect.stringContaining('is a symbolic link')
      })
    await expect(readDataFile(root, join(root, 'a-folder.png'))).rejects.toMatchObject({ code: 'storage' })
    await expect(readDataFile(root, secret)).rejects.toMatchObject({ message: expect.stringContaining('not inside') })
    await expect(readDataFile(root, join(root, '..', 'secret.png'))).rejects.toMatchObject({ code: 'storage' })
  })

  it('serves a PNG only if it is one', async () => {
    const { root } = setUp()
    expect(await readDataPng(root, join(root, 'attempts', 'a', 'real.png'))).toEqual(PNG)
    await expect(readDataPng(root, join(root, 'not-a.png'))).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('is not a PNG')
    })
    expect(isPngBytes(PNG.subarray(0, 8))).toBe(false) // a signature alone has no header
  })

  it('makes folders without following a link, and writes nothing through one', async () => {
    const { root, elsewhere } = setUp()
    await ensureDataFolder(root, join(root, 'attempts', 'b', 'c'))
    expect(existsSync(join(root, 'attempts', 'b', 'c'))).toBe(true)
    await expect(ensureDataFolder(root, join(root, 'linked-folder', 'new'))).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('linked-folder is a symbolic link')
    })
    expect(readdirSync(elsewhere)).toEqual(['inside.png'])
    await expect(ensureDataFolder(root, join(root, 'not-a.png', 'x'))).rejects.toMatchObject({ code: 'storage' })
  })

  it('says whether a path has a link on its way', async () => {
    const { root } = setUp()
    await assertNoLinks(root, join(root, 'attempts', 'a', 'real.png'))
    await assertNoLinks(root, join(root, 'nothing', 'here'))
    await expect(assertNoLinks(root, join(root, 'attempts', 'a', 'linked.png'))).rejects.toMatchObject({
      code: 'storage'
    })
    await expect(assertNoLinks(root, join(root, 'linked-folder', 'x'))).rejects.toMatchObject({ code: 'storage' })
  })
})
