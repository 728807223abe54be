import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'

/** A fresh temporary folder, removed when the current test file (or describe block) ends. */
export function tempDir(prefix = 'sightline-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  // Retried: a history's backup or checkpoint may still be finishing a file in it (ENOTEMPTY).
  afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }))
  return dir
}
