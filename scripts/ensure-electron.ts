// Runs before `npm start` and `npm run dev`. Electron 45 fetches its binary lazily (no postinstall
// step), but electron-vite reads node_modules/electron/path.txt directly and fails with a bare
// "Electron uninstall". So fetch it here with Electron's own installer, once, and when that cannot
// work (offline, a proxy, a locked-down build machine) say so in one line and point to the host.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))

function installedBinary(): string | null {
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist'),
    readFileSync(pathFile, 'utf8')
  )
  return existsSync(binary) ? binary : null
}

if (installedBinary()) process.exit(0)

process.stderr.write('Fetching the Electron binary (first launch only)...\n')
const run = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
  encoding: 'utf8',
  stdio: ['ignore', 'inherit', 'pipe'],
  timeout: 15 * 60_000
})
if (run.status === 0 && installedBinary()) process.exit(0)

// The installer prints a stack trace; its first line is the reason (e.g. "TypeError: fetch failed").
const reason =
  run.error?.message ??
  run.stderr
    .split('\n')
    .find((line) => line.trim() !== '')
    ?.trim() ??
  `exit code ${run.status}`
process.stderr.write(
  `sightline: the desktop app cannot start because the Electron binary could not be downloaded (${reason}); ` +
    'check the network or proxy (ELECTRON_MIRROR) and run it again, or use the studio in a browser with "npm run web".\n'
)
process.exit(1)
