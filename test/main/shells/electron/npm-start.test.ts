import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Where Electron's binary is already installed, `npm start` would open the app: nothing to check.
const installed = existsSync('node_modules/electron/path.txt')

describe.skipIf(installed)('npm start without an Electron binary', () => {
  it.each(['start', 'dev'])('npm run %s stops with one clear line naming the cause and the host mode', (script) => {
    // A mirror nobody listens on: the download fails at once, here and on a machine with internet.
    const run = spawnSync('npm', ['run', script], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/' },
      timeout: 60_000
    })
    expect(run.status).toBe(1)
    const output = run.stdout + run.stderr
    expect(run.stderr).toMatch(
      /^sightline: the desktop app cannot start because the Electron binary could not be downloaded \(.+\); .* "npm run web"\.$/m
    )
    expect(output).not.toContain('Electron uninstall')
    expect(output).not.toMatch(/^\s+at /m) // no stack trace
    expect(output).not.toContain('building') // stopped before electron-vite ran
  })
})
