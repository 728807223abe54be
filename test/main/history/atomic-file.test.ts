import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
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

  it('without overwrite, create a new file but never replace one, leaving no temp file either way', async () => {
    const dir = testDir()
    const path = join(dir, 'Cube-heatmap.png')
    await writeFileAtomic(path, 'first', { overwrite: false })
    expect(readFileSync(path, 'utf8')).toBe('first')
    await expect(writeFileAtomic(path, 'second', { overwrite: false })).rejects.toMatchObject({ code: 'EEXIST' })
    expect(readFileSync(path, 'utf8')).toBe('first')
    expect(readdirSync(dir)).toEqual(['Cube-heatmap.png'])
  })

  it('without overwrite, leave no file when killed before it is put in place, and the new one after', async () => {
    const dir = testDir()
    const path = join(dir, 'Cube.json')
    const killed = runFixture('atomic-crash.ts', [path, '{}', 'before-rename', 'no-replace'])
    expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' })
    expect(existsSync(path)).toBe(false)
    await removeStaleTempFiles(dir)
    const done = runFixture('atomic-crash.ts', [path, '{"ok":1}', 'never', 'no-replace'])
    expect(await done.exited).toEqual({ code: 0, signal: null })
    expect(readFileSync(path, 'utf8')).toBe('{"ok":1}')
    expect(readdirSync(dir)).toEqual(['Cube.json'])
  })
})

describe('every file the app writes goes through writeFileAtomic', () => {
  // Node's calls that create, replace or append to files; `open` is left out (reads use it).
  const WRITERS = /^(writeFile|appendFile|rename|link|copyFile|cp|createWriteStream|truncate)(Sync)?$/
  // Files with their own, deliberate write rules (the history's durability layer).
  const OWN_RULES: Record<string, string> = {
    'platform/atomic-file.ts': 'the one atomic write',
    'platform/set-aside.ts': 'a damaged file is renamed beside itself, never overwritten',
    'history/database.ts': 'sets a damaged database aside (rename) and marks it',
    'history/lock.ts': 'the lock is created by hard link so that two hosts never both take it',
    'history/storage-errors.ts': 'a probe of whether a folder is writable, removed at once',
    'history/backups.ts':
      "a backup is SQLite's own copy under a temp name, renamed into place; restoring copies it the same way",
    'history/history.ts': 'restoring a backup moves the history it replaces aside (rename), never overwrites it'
  }
  const MAIN = join(import.meta.dirname, '../../../src/main')

  it('no other module of src/main imports a file-writing call from node:fs', () => {
    const offenders: string[] = []
    for (const rel of readdirSync(MAIN, { recursive: true, encoding: 'utf8' })) {
      if (!rel.endsWith('.ts') || rel.split(sep).join('/') in OWN_RULES) continue
      const text = readFileSync(join(MAIN, rel), 'utf8')
      for (const m of text.matchAll(/import\s+(type\s+)?([^']*?)\s+from\s+'(?:node:)?fs(?:\/promises)?'/g)) {
        if (m[1]) continue
        const clause = m[2]
        if (!clause.startsWith('{')) offenders.push(`${rel}: imports the whole fs module (${clause})`)
        const names = clause.replace(/[{}]/g, '').split(',')
        for (const name of names.map((n) => n.trim().split(/\s+as\s+/)[0]))
          if (WRITERS.test(name)) offenders.push(`${rel}: ${name}`)
      }
    }
    expect(offenders).toEqual([])
  })
})
