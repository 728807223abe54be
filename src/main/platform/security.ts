import { randomBytes, timingSafeEqual } from 'node:crypto'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export function tokensEqual(expected: string, given: string | undefined | null): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

export const TOKEN_COOKIE = 'sightline_token'

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

const directives = (connect: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')

/**
 * The page's policy: only our own scripts, styles and connections. blob: and data: images are
 * our own decoded pictures. The desktop app's page connects to nothing (it talks over IPC), so
 * 'self' is all there is, and the same line is in index.html.
 */
export const CONTENT_SECURITY_POLICY = directives("'self'")

/**
 * The Node host's policy: its own origin and its own WebSocket, on its own port, nothing else
 * ('self' covers ws: of the same host and port in CSP 3; the address is there for the rest).
 */
export function hostContentSecurityPolicy(port: number): string {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new RangeError(`not a port: ${port}`)
  return directives(`'self' ws://127.0.0.1:${port}`)
}
