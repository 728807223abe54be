// A read-only or full disk: a clear StudioError('storage'), nothing already saved lost, and the
// rest of the studio working. Read-only is real (chattr +i as root, chmod otherwise); a full
// disk is SQLite's own SQLITE_FULL, reached by capping the file's size (max_page_count).
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DatabaseSync } from 'node:sqlite'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { openStudio } from '#test/helpers/studio.ts'
import { History } from '#main/history/history.ts'
import { storageError } from '#main/history/storage-errors.ts'
import { HistoryStore } from '#main/history/store.ts'
import { testDir } from './fixtures/dirs.ts'
import { EMPTY, reference, scored, stroke } from './fixtures/data.ts'
import { makeReadOnly, readOnlyUnsupported } from './fixtures/read-only.ts'

const stores: HistoryStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function track(store: HistoryStore): HistoryStore {
  stores.push(store)
  return store
}

/** Run `body` with `paths` read-only, restoring them however it ends. */
async function readOnly<T>(paths: string[], body: () => T | Promise<T>): Promise<T> {
  const undo = paths.map(makeReadOnly)
  try {
    return await body()
  } finally {
    undo.reverse().forEach((u) => u())
  }
}

function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something`), { code })
}

describe('storage error messages', () => {
  it('name what we were doing, the file, and what the disk said', () => {
    const cases: [unknown, string][] = [
      [errnoError('ENOSPC'), 'could not save the last edit: the disk is full (/d/history.sqlite)'],
      [
        errnoError('EROFS'),
        'could not save the last edit: /d/history.sqlite is read-only or not writable by this user'
      ],
      [
        errnoError('EACCES'),
        'could not save the last edit: /d/history.sqlite is read-only or not writable by this user'
      ],
      [
        errnoError('ENOTDIR'),
        'could not save the last edit: a file is in the way where the folder /d/history.sqlite should be'
      ],
      [
        errnoError('EIO'),
        'could not save the last edit: the disk reported an error on /d/history.sqlite (EIO: something)'
      ],
      [
        Object.assign(new Error('database or disk is full'), {
          code: 'ERR_SQLITE_ERROR',
          errcode: 13,
          errstr: 'database or disk is full'
        }),
        'could not save the last edit: the disk is full (/d/history.sqlite)'
      ],
      [
        Object.assign(new Error('database is locked'), {
          code: 'ERR_SQLITE_ERROR',
          errcode: 5,
          errstr: 'database is locked'
        }),
        'could not save the last edit: /d/history.sqlite is locked by another program'
      ]
    ]
    for (const [err, message] of cases)
      expect(storageError(err, 'save the last edit', '/d/history.sqlite')).toMatchObject({ code: 'storage', message })
  })
})

describe('a data folder that cannot be written', () => {
  it('with a file where the folder should be: the studio starts, says why, and recovers once it is gone', async () => {
    const dir = testDir()
    const dataDir = join(dir, 'data')
    writeFileSync(dataDir, 'not a folder')
    const { api } = await openStudio({ dataDir })
    expect(await api.appInfo()).toMatchObject({ shell: 'host' })
    const problem = `could not create the data folder: a file is in the way where the folder ${dataDir} should be`
    expect(await api.historyStatus()).toEqual({ state: 'unavailable', dataDir, problem, recovered: null })
    await expect(api.listAttempts({})).rejects.toMatchObject({ code: 'storage', message: problem })
    rmSync(dataDir)
    expect(await api.historyStatus()).toMatchObject({ state: 'ready' })
    expect(await api.listAttempts({})).toMatchObject({ total: 0 })
  })

  it.skipIf(readOnlyUnsupported !== null)(
    'read-only from the start: unavailable with the reason, usable once writable',
    async () => {
      const dir = testDir()
      const history = await readOnly([dir], () => {
        const h = new History(dir)
        expect(h.status()).toEqual({
          state: 'unavailable',
          dataDir: dir,
          problem: `could not open the history: ${dir} is read-only or not writable by this user`,
          recovered: null
        })
        expect(() => h.store()).toThrow(expect.objectContaining({ code: 'storage' }))
        return h
      })
      history.store().upsertReference(reference())
      expect(history.status()).toMatchObject({ state: 'ready' })
      history.close()
      expect(() => history.store()).toThrow(`the history in ${dir} is closed`)
    }
  )

  it.skipIf(readOnlyUnsupported !== null)(
    'read-only mid-attempt: each write fails clearly, nothing committed is lost, writing resumes after',
    async () => {
      const dir = testDir()
      const store = track(HistoryStore.open(dir))
      store.upsertReference(reference())
      const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
      for (let i = 1; i <= 5; i++)
        store.appendJournal(attemptId, {
          op: { kind: 'stroke', stroke: stroke(i) },
          evaluation: scored(i),
          activeMs: i
        })
      const readOnlyMessage = `${dir} is read-only or not writable by this user`
      // The -shm file stays writable: SQLite maps it into memory, and a real read-only remount
      // would leave that mapping alone too.
      await readOnly([join(dir, 'history.sqlite'), join(dir, 'history.sqlite-wal'), dir], () => {
        expect(() =>
          store.appendJournal(attemptId, {
            op: { kind: 'stroke', stroke: stroke(6) },
            evaluation: scored(6),
            activeMs: 6
          })
        ).toThrow(
          expect.objectContaining({ code: 'storage', message: `could not save the last edit: ${readOnlyMessage}` })
        )
        expect(() => store.deleteAttempt(attemptId)).toThrow(
          expect.objectContaining({ code: 'storage', message: `could not delete the attempt: ${readOnlyMessage}` })
        )
        expect(() => store.finishAttempt(attemptId, { evaluation: EMPTY, activeMs: 9 })).toThrow(
          expect.objectContaining({ code: 'storage' })
        )
        expect(() => store.createAttempt({ referenceId: 'bundled:cube' })).toThrow(
          expect.objectContaining({ code: 'storage' })
        )
        // Reading still works.
        expect(store.attemptJournal(attemptId).entries).toHaveLength(5)
      })
      expect(
        store.appendJournal(attemptId, {
          op: { kind: 'stroke', stroke: stroke(6) },
          evaluation: scored(6),
          activeMs: 6
        })
      ).toEqual({ seq: 6 })
      store.close()
      const again = track(HistoryStore.open(dir))
      const found = again.findUnfinishedAttempt()
      expect(found?.entries.map((e) => e.op)).toEqual(
        [1, 2, 3, 4, 5, 6].map((i) => ({ kind: 'stroke', stroke: stroke(i) }))
      )
      expect(found?.activeMs).toBe(6)
    }
  )

  it.skipIf(readOnlyUnsupported !== null)(
    'read-only attempt folder: saving images fails clearly and keeps the saved ones',
    async () => {
      const dir = testDir()
      const store = track(HistoryStore.open(dir))
      store.upsertReference(reference())
      const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
      const old = new Uint8Array(
        await sharp({ create: { width: 4, height: 4, channels: 3, background: 'black' } })
          .png()
          .toBuffer()
      )
      const fresh = new Uint8Array(
        await sharp({ create: { width: 4, height: 4, channels: 3, background: 'white' } })
          .png()
          .toBuffer()
      )
      await store.saveAttemptFiles(attemptId, { thumbPng: old })
      const folder = join(dir, 'attempts', attemptId)
      await readOnly([folder], async () => {
        await expect(store.saveAttemptFiles(attemptId, { thumbPng: fresh })).rejects.toMatchObject({
          code: 'storage',
          message: `could not save the images of attempt "${attemptId}": ${folder} is read-only or not writable by this user`
        })
      })
      expect(await store.readAttemptFile(attemptId, 'thumbPng')).toEqual(old)
    }
  )
})

describe('a full disk', () => {
  it('fails the write that does not fit with "the disk is full", keeping every earlier commit', () => {
    const dir = testDir()
    // Cap the file a few pages above what the schema needs: big strokes soon hit SQLITE_FULL.
    const cap = (db: DatabaseSync): void => {
      const { page_count } = db.prepare('PRAGMA page_count').get() as { page_count: number }
      db.exec(`PRAGMA max_page_count = ${Math.max(page_count, 8) + 40}`)
    }
    const store = track(HistoryStore.open(dir, { configure: cap }))
    store.upsertReference(reference())
    const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
    let committed = 0
    let failure: unknown = null
    for (let i = 1; i <= 200 && failure === null; i++) {
      try {
        store.appendJournal(attemptId, {
          op: { kind: 'stroke', stroke: stroke(i, 300) },
          evaluation: scored(i),
          activeMs: i
        })
        committed = i
      } catch (err) {
        failure = err
      }
    }
    expect(committed).toBeGreaterThan(0)
    expect(failure).toMatchObject({
      code: 'storage',
      message: `could not save the last edit: the disk is full (${join(dir, 'history.sqlite')})`
    })
    store.close()
    const again = track(HistoryStore.open(dir))
    const entries = again.findUnfinishedAttempt()?.entries ?? []
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: committed }, (_, i) => i + 1))
    expect(entries.at(-1)?.op).toEqual({ kind: 'stroke', stroke: stroke(committed, 300) })
    expect(again.appendJournal(attemptId, { op: { kind: 'clear' }, evaluation: EMPTY, activeMs: 0 })).toEqual({
      seq: committed + 1
    })
    expect(existsSync(join(dir, 'history.damaged'))).toBe(false)
  })
})
