import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project's root: the nearest folder above this module that holds `resources/references`.
 * Found by looking, not by counting levels, because this file runs both as source
 * (src/main/platform/) and bundled into the Electron build (out/main/).
 */
function projectRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url))
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'resources', 'references'))) return dir
    if (dirname(dir) === dir) throw new Error(`no resources/references folder above ${start}`)
  }
}

/** The project's resources folder (bundled references). */
export function defaultResourcesDir(): string {
  return join(projectRoot(), 'resources')
}

/** The built renderer (out/renderer). */
export function defaultRendererDir(): string {
  return join(projectRoot(), 'out', 'renderer')
}

/** The OS's per-user data folder for the Node host, as Electron's userData would be. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform
): string {
  const home = homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Sightline Studio')
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Sightline Studio')
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'sightline-studio')
}
