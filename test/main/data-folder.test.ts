// The data folder is ours only: links put in it (by a sync tool, a restore, another program)
// are never followed, for reading or for writing, and pictures are served only if they are PNGs.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const stroke: Stroke = {
  tool: 'pen',
  size: 4,
  points: Array.from({ length: 8 }, (_, i) => ({
    x: 150 + 20 * i,
    y: 200,
    pressure: 0.7,
    tiltX: 0,
    tiltY: 0,
    t: i * 8
  }))
}

/** A PNG that is not ours, outside the data folder: what a link would make the studio serve. */
function secretPng(dir: string): { path: string; bytes: Buffer } {
  const bytes = readFileSync(join(defaultResourcesDir(), 'references', 'vase.png'))
  const path = join(dir, 'secret.png')
  writeFileSync(path, bytes)
  return { path, bytes }
}

describe('the data folder is ours only', () => {
  it('serves no attempt image through a link, nor a file that is not a PNG', async () => {
    const top = tempDir()
    const dataDir = join(top, 'data')
    const secret = secretPng(top)
    const { api } = await openStudio({ dataDir })
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    await api.commitStroke({ attemptId, stroke })
    await api.finishAttempt({ attemptId })
    const folder = join(dataDir, 'attempts', attemptId)
    expect((await api.attemptDetails({ attemptId })).drawingPng?.length).toBeGreaterThan(100)

    rmSync(join(folder, 'drawing.png'))
    symlinkSync(secret.path, join(folder, 'drawing.png'))
    await expect(api.attemptDetails({ attemptId })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('is a symbolic link')
    })
    rmSync(join(folder, 'drawing.png'))
    writeFileSync(join(folder, 'drawing.png'), 'not a picture')
    await expect(api.attemptDetails({ attemptId })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('is not a PNG')
    })
  })

  it('writes no attempt images into attempts/ when it is a link to somewhere else', async () => {
    const top = tempDir()
    const dataDir = join(top, 'data')
    const elsewhere = join(top, 'elsewhere')
    mkdirSync(elsewhere)
    const { api } = await openStudio({ dataDir })
    symlinkSync(elsewhere, join(dataDir, 'attempts'))
    const { attemptId } = await api.startAttempt({ referenceId: 'bundled:cube' })
    await api.commitStroke({ attemptId, stroke })
    await expect(api.finishAttempt({ attemptId })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('is a symbolic link')
    })
    expect(readdirSync(elsewhere)).toEqual([])
    // Nothing is lost: the attempt is still open, and finishes once attempts/ is a folder again.
    rmSync(join(dataDir, 'attempts'))
    await api.undo({ attemptId })
    await api.redo({ attemptId })
    await api.finishAttempt({ attemptId })
    expect(lstatSync(join(dataDir, 'attempts', attemptId, 'drawing.png')).isFile()).toBe(true)
  })

  it('imports nothing into a library folder that is a link, lists the bundled drawings all the same', async () => {
    const top = tempDir()
    const dataDir = join(top, 'data')
    const elsewhere = join(top, 'elsewhere')
    mkdirSync(dataDir)
    mkdirSync(elsewhere)
    symlinkSync(elsewhere, join(dataDir, 'library'))
    const { api } = await openStudio({ dataDir })
    const bytes = new Uint8Array(readFileSync(join(defaultResourcesDir(), 'references', 'cube.png')))
    await expect(api.importReference({ fileName: 'cube copy.png', bytes })).rejects.toMatchObject({
      code: 'storage',
      message: expect.stringContaining('is a symbolic link')
    })
    expect(readdirSync(elsewhere)).toEqual([])
    expect((await api.listReferences()).map((r) => r.id)).toEqual(
      expect.arrayContaining(['bundled:cube', 'bundled:vase', 'bundled:still-life'])
    )
  })

  it('makes a library thumbnail again rather than serve one that is a link', async () => {
    const top = tempDir()
    const dataDir = join(top, 'data')
    const secret = secretPng(top)
    const { api } = await openStudio({ dataDir })
    const bytes = new Uint8Array(readFileSync(join(defaultResourcesDir(), 'references', 'cube.png')))
    const { id } = await api.importReference({ fileName: 'cube copy.png', bytes })
    const thumb = join(dataDir, 'library', `${id.slice(4)}.thumb.png`)
    const own = (await api.getReferenceThumbnail({ id })).png
    rmSync(thumb)
    symlinkSync(secret.path, thumb)
    const again = (await api.getReferenceThumbnail({ id })).png
    expect(Buffer.from(again).equals(secret.bytes)).toBe(false)
    expect(again).toEqual(own)
  })

  it('reads no settings through a link, and replaces the link (not its target) when saving', async () => {
    const top = tempDir()
    const dataDir = join(top, 'data')
    mkdirSync(dataDir)
    // A real settings file, written by a studio elsewhere, then linked into this data folder.
    const otherDir = join(top, 'other')
    const other = await openStudio({ dataDir: otherDir })
    await other.api.updateSettings({ name: 'Someone else' })
    const theirs = readFileSync(join(otherDir, 'settings.json'), 'utf8')
    symlinkSync(join(otherDir, 'settings.json'), join(dataDir, 'settings.json'))
    const { api } = await openStudio({ dataDir })
    expect((await api.getSettings()).name).toBe('')
    await api.updateSettings({ name: 'Ann' })
    expect(lstatSync(join(dataDir, 'settings.json')).isSymbolicLink()).toBe(false)
    expect(readFileSync(join(otherDir, 'settings.json'), 'utf8')).toBe(theirs)
    expect(existsSync(join(dataDir, 'settings.json'))).toBe(true)
  })
})
