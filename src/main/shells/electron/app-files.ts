// Which file of the built renderer a request to the app's own scheme asks for, and the headers it
// is served with. Pure (no Electron, no file access): app-scheme.ts does the serving. Only GET of
// a file under the renderer folder, by a plain path, on the app's one host is ever answered.
import { extname, join, normalize, sep } from 'node:path'
import { CONTENT_SECURITY_POLICY } from '#main/platform/security.ts'

/** The scheme the desktop app serves its page from: standard and secure, so its origin is exact. */
export const APP_SCHEME = 'sightline'
export const APP_HOST = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm'
}

/** The desktop page's policy: the page's own ('self' is the app's origin; it talks over IPC only). */
export const DESKTOP_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY

export type AppRequest = { kind: 'file'; path: string; mime: string } | { kind: 'refused'; status: 400 | 404 | 405 }

/** The file a request names under `rootDir`, or why it is refused. */
export function resolveAppRequest(method: string, url: string, rootDir: string): AppRequest {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'refused', status: 405 }
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { kind: 'refused', status: 400 }
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { kind: 'refused', status: 404 }
  let path: string
  try {
    path = decodeURIComponent(u.pathname)
  } catch {
    return { kind: 'refused', status: 400 }
  }
  if (path === '/' || path === '') path = '/index.html'
  // A plain relative path: no NUL, no backslashes, no dot segments (URL parsing removed those it
  // could; what is left encoded is refused, not resolved).
  if (path.includes('\0') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.'))
    return { kind: 'refused', status: 400 }
  const root = normalize(rootDir)
  const file = normalize(join(root, path))
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return { kind: 'refused', status: 400 }
  const mime = MIME[extname(file).toLowerCase()]
  if (!mime) return { kind: 'refused', status: 404 }
  return { kind: 'file', path: file, mime }
}

/** Headers of every file served: its type, the exact policy, no sniffing, no caching of stale builds. */
export function appResponseHeaders(mime: string): Record<string, string> {
  return {
    'Content-Type': mime,
    'Content-Security-Policy': DESKTOP_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache'
  }
}

/** Whether a URL is the studio page itself (the only page IPC answers and navigation allows). */
export function isAppPage(url: string): boolean {
  try {
    const u = new URL(url)
    return (
      u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && (u.pathname === '/index.html' || u.pathname === '/')
    )
  } catch {
    return false
  }
}
