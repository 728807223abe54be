// The composition root: one of each service per studio, and dispose() ends them all, in order.
import { existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { createStudio } from '#main/app.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'
import type { EvaluatorLauncher } from '#main/evaluator/process/supervisor.ts'
import { DATABASE_FILE } from '#main/history/database.ts'
import { HistoryStore } from '#main/history/store.ts'
import { acquireDataDirLock, LOCK_FILE, type DataDirLock } from '#main/history/lock.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { tempDir } from '../helpers/tmp.ts'

const stroke: Stroke = {
  tool: 'pen',
  size: 4,
  points: Array.from({ length: 8 }, (_, i) => ({
    x: 150 + i * 20,
    y: 160,
    pressure: 0.6,
    tiltX: 0,
    tiltY: 0,
    t: i * 8
  }))
}

/** A worker-thread evaluator that tells when its thread has ended and when it was told to end. */
function watchedWorker(log: string[]): { launch: EvaluatorLauncher; exits: string[] } {
  const exits: string[] = []
  const inner = workerLauncher()
  const launch: EvaluatorLauncher = () => {
    const channel = inner()
    channel.onClose((reason) => exits.push(reason))
    return {
      ...channel,
      close: async () => {
        log.push('evaluator')
        await channel.close()
      }
    }
  }
  return { launch, exits }
}

function watchedLock(dataDir: string, log: string[]): DataDirLock & { releases: number } {
  const lock = acquireDataDirLock(dataDir)
  const watched = {
    ...lock,
    releases: 0,
    release() {
      watched.releases++
      log.push('lock')
      lock.release()
    }
  }
  return watched
}

describe('the composition root', () => {
  it('dispose() ends the evaluation worker, closes the database and releases the lock, in that order, once', async () => {
    const dataDir = tempDir()
    const log: string[] = []
    const { launch, exits } = watchedWorker(log)
    const lock = watchedLock(dataDir, log)
    const studio = await createStudio({
      shell: 'host',
      resourcesDir: defaultResourcesDir(),
      dataDir,
      launchEvaluator: launch,
      lock
    })
    const { history } = studio.services
    const closeHistory = history.close.bind(history)
    vi.spyOn(history, 'close').mockImplementation(() => {
      log.push('history')
      closeHistory()
    })
    const { attemptId } = await studio.api.startAttempt({ referenceId: 'bundled:cube' })
    const drawn = await studio.api.commitStroke({ attemptId, stroke })
    expect(drawn.evaluation.status).toBe('scored')
    expect(existsSync(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(true)
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true)

    await Promise.all([studio.dispose(), studio.dispose()])
    await studio.dispose()
    expect(log).toEqual(['evaluator', 'history', 'lock'])
    expect(lock.releases).toBe(1)
    // The worker thread has ended.
    expect(exits).toEqual([expect.stringMatching(/^exit code/)])
    // The database is closed: its last connection checkpointed and removed the write-ahead log...
    expect(existsSync(join(dataDir, `${DATABASE_FILE}-wal`))).toBe(false)
    // ...the lock is gone and can be taken again...
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    acquireDataDirLock(dataDir).release()
    // ...and the file holds the attempt: it can be moved away and opened on its own.
    renameSync(join(dataDir, DATABASE_FILE), join(dataDir, 'moved.sqlite'))
    renameSync(join(dataDir, 'moved.sqlite'), join(dataDir, DATABASE_FILE))
    const store = HistoryStore.open(dataDir)
    expect(store.findUnfinishedAttempt()).toMatchObject({ attemptId, history: { cursor: 1 } })
    store.close()

    // Calls after dispose fail with a clear error instead of restarting anything.
    await expect(studio.api.commitStroke({ attemptId, stroke })).rejects.toMatchObject({
      code: 'evaluator',
      message: 'the evaluator was shut down'
    })
    await expect(studio.api.listAttempts({})).rejects.toMatchObject({
      code: 'storage',
      message: `the history in ${dataDir} is closed`
    })
    expect(exits).toHaveLength(1)
  })

  it('dispose() still closes the database and releases the lock when ending the evaluator fails', async () => {
    const dataDir = tempDir()
    const log: string[] = []
    const lock = watchedLock(dataDir, log)
    let launched = false
    const failing: EvaluatorLauncher = () => ({
      send: () => {
        launched = true
      },
      onMessage: () => undefined,
      onClose: () => undefined,
      close: async () => {
        throw new Error('the process would not stop')
      }
    })
    const studio = await createStudio({
      shell: 'host',
      resourcesDir: defaultResourcesDir(),
      dataDir,
      launchEvaluator: failing,
      lock
    })
    // Start the evaluation process (the request itself is never answered: nothing awaits it).
    void studio.api.startAttempt({ referenceId: 'bundled:cube' }).catch(() => undefined)
    await vi.waitFor(() => expect(launched).toBe(true))
    await expect(studio.dispose()).rejects.toThrow('the process would not stop')
    expect(lock.releases).toBe(1)
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false)
    await expect(studio.api.historyStatus()).resolves.toMatchObject({ state: 'unavailable' })
  })

  it('builds each service once: the API and the services share the same references, history and attempts', async () => {
    const dataDir = tempDir()
    const studio = await createStudio({ shell: 'host', resourcesDir: defaultResourcesDir(), dataDir })
    try {
      const { attemptId } = await studio.api.startAttempt({ referenceId: 'bundled:vase' })
      await studio.api.commitStroke({ attemptId, stroke })
      // The attempt the API opened is the service's, and the history row it wrote is the store's.
      expect((await studio.services.attempts.snapshot(attemptId)).state.ops).toHaveLength(1)
      expect(studio.services.history.store().findUnfinishedAttempt()?.attemptId).toBe(attemptId)
      // The reference service the evaluator's ink comes from is the one the API imports into.
      const ink = await studio.services.references.loadReferenceInk('bundled:vase', { width: 400, height: 500 })
      expect((await studio.api.commitStroke({ attemptId, stroke })).evaluation.referencePixels).toBe(ink.inkPixels)
    } finally {
      await studio.dispose()
    }
  })
})
