// What the desktop app's windows may load, go to and be granted: decided here, by pure
// functions (no Electron), so they are tested without the binary; hardening.ts applies them.
//
// - The page is the studio's own: the built renderer (file:// or the app's own scheme), or,
//   only while developing (an unpackaged app), the dev server named by ELECTRON_RENDERER_URL,
//   and only if that is a plain http(s) URL on this machine's loopback address.
// - No navigation, redirect or frame navigation leaves that page: a reload of it is all.

/** Loopback host names a dev server may have. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

export type DevServerChoice =
  | { url: string }
  /** Not used, and why (for a line in the log when it was set). */
  | { url: null; ignored: string | null }

/**
 * The dev server's URL from the environment, when it may be used: never in a packaged app (a
 * variable set by anyone who starts it must not replace the studio with another page), and
 * only an http(s) URL without credentials on the loopback address.
 */
export function devServerUrl(env: NodeJS.ProcessEnv, packaged: boolean): DevServerChoice {
  const raw = env.ELECTRON_RENDERER_URL
  if (raw === undefined || raw === '') return { url: null, ignored: null }
  if (packaged) return { url: null, ignored: 'ELECTRON_RENDERER_URL is ignored in a packaged app' }
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    return { url: null, ignored: `ELECTRON_RENDERER_URL is not a URL: ${raw.slice(0, 200)}` }
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !LOOPBACK.has(u.hostname) || u.username || u.password)
    return { url: null, ignored: `ELECTRON_RENDERER_URL must be an http(s) URL on this machine, not ${u.origin}` }
  return { url: u.href }
}

/**
 * Whether a URL is the studio page at `pageUrl`: the same scheme, host and port, the same path
 * ('/' and '/index.html' are one page), no credentials; the query and the fragment may differ.
 */
export function studioPageMatcher(pageUrl: string): (url: string) => boolean {
  const page = new URL(pageUrl)
  const pathOf = (u: URL): string => (u.pathname === '/' ? '/index.html' : u.pathname)
  return (url) => {
    let u: URL
    try {
      u = new URL(url)
    } catch {
      return false
    }
    return (
      u.protocol === page.protocol &&
      u.host === page.host &&
      u.username === '' &&
      u.password === '' &&
      pathOf(u) === pathOf(page)
    )
  }
}

/**
 * A navigation, a redirect or a frame's navigation: allowed only for the top frame, and only to
 * the studio page itself (a reload). The studio has no frames: none may load anything.
 */
export function navigationAllowed(
  isStudioPage: (url: string) => boolean,
  nav: { url: string; isMainFrame: boolean }
): boolean {
  return nav.isMainFrame && isStudioPage(nav.url)
}
