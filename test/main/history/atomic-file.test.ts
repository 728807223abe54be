import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeStaleTempFiles, writeFileAtomic } from '#main/platform/atomic-file.ts'
import { testDir } from './fixtures/dirs.ts'
import { runFixture } from './fixtures/child.ts'

describe('atomic file writes', () => {
  it('replace the file with the new bytes and leave no temp file', async () => {
    const dir = testDir()
    const path = join(dir, 'thumb.png')
    writeFileSync(path, 'old')
    await writeFileAtomic(path, new TextEncoder().encode('new'))
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(readdirSync(dir)).toEqual(['thumb.png'])
  })

  it('leave the old file when the process is killed between write and rename', async () => {
    const dir = testDir()
    const path = join(dir, 'drawing.png')
    writeFileSync(path, 'old drawing')
    const child = runFixture('atomic-crash.ts', [path, 'new drawing', 'before-rename'])
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(readFileSync(path, 'utf8')).toBe('old drawing')
    const temps = readdirSync(dir).filter((n) => n !== 'drawing.png')
    expect(temps).toHaveLength(1)
    expect(temps[0]).toMatch(/^\.drawing\.png\.[0-9a-f]+\.tmp$/)
    expect(readFileSync(join(dir, temps[0]), 'utf8')).toBe('new drawing') // written and synced, never renamed
    await removeStaleTempFiles(dir)
    expect(readdirSync(dir)).toEqual(['drawing.png'])
  })

  it('leave no file at all when a first write is killed before its rename', async () => {
    const dir = testDir()
    const path = join(dir, 'heatmap.png')
    const child = runFixture('atomic-crash.ts', [path, 'heat', 'before-rename'])
    await child.exited
    expect(existsSync(path)).toBe(false)
  })

  it('have the new file once a write completes in a child process', async () => {
    const dir = testDir()
    const path = join(dir, 'thumb.png')
    writeFileSync(path, 'old')
    const child = runFixture('atomic-crash.ts', [path, 'new', 'never'])
    expect(await child.exited).toEqual({ code: 0, signal: null })
    expect(readFileSync(path, 'utf8')).toBe('new')
  })

  it('remove the temp file when the write fails, and keep the old one', async () => {
    const dir = testDir()
    const path = join(dir, 'thumb.png')
    writeFileSync(path, 'old')
    await expect(
      writeFileAtomic(path, new TextEncoder().encode('new'), {
        beforeRename: () => {
          throw new Error('no space left')
        }
      })
    ).rejects.toThrow('no space left')
    expect(readdirSync(dir)).toEqual(['thumb.png'])
    expect(readFileSync(path, 'utf8')).toBe('old')
  })
})
