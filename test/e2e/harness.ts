// The end-to-end tests' harness: the host process and Chromium (shared with the UI benches),
// and the setup every e2e file starts with.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchBrowser, startHostProcess, type HostProcess } from '#tools/host-process.ts'
import { tempDir } from '../helpers/tmp.ts'

export * from '#tools/host-process.ts'

/**
 * A Node host on a fresh data folder and a Chromium for the tests of this file (or describe
 * block): started before them, stopped after. Read `host` and `browser` inside the tests.
 */
export function hostAndBrowser(): { readonly host: HostProcess; readonly browser: Browser; readonly dataDir: string } {
  const dataDir = tempDir()
  let host: HostProcess | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    host = await startHostProcess(dataDir)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    // The host survives an error that slipped through (its last resort); a test must not.
    const survived = host?.survived() ?? []
    if (survived.length > 0) throw new Error(`the host survived uncaught errors:\n${survived.join('\n')}`)
  })
  return {
    dataDir,
    get host() {
      if (!host) throw new Error('the host is started in beforeAll')
      return host
    },
    get browser() {
      if (!browser) throw new Error('the browser is started in beforeAll')
      return browser
    }
  }
}
