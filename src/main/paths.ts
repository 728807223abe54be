import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The project's resources folder. This file sits two levels below the project root both as
 * source (src/main/paths.ts) and when bundled into the Electron build (out/main/index.js).
 */
export function defaultResourcesDir(): string {
  return fileURLToPath(new URL('../../resources', import.meta.url))
}

/** The built renderer (out/renderer), two levels up for the same reason. */
export function defaultRendererDir(): string {
  return fileURLToPath(new URL('../../out/renderer', import.meta.url))
}

/** The OS's per-user data folder for the Node host, as Electron's userData would be. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Sightline Studio')
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Sightline Studio')
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'sightline-studio')
}
