// The desktop app's page is served from its own scheme (sightline://app/...) instead of file://:
// registered as standard and secure, so the page is a secure context (pointerrawupdate, exact
// 'self' in the CSP, a real origin for the IPC sender check) and can read nothing but the built
// renderer. Which file a request names is decided by app-files.ts (pure, tested).
import { readFile } from 'node:fs/promises'
import { protocol, type Session } from 'electron'
import { APP_SCHEME, appResponseHeaders, resolveAppRequest } from './app-files.ts'

/** Before the app is ready (Electron's rule): the scheme's privileges. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true }
    }
  ])
}

/** Once ready: answer the scheme in a session from the renderer folder. */
export function serveAppScheme(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(request.method, request.url, rendererDir)
    if (target.kind === 'refused') return new Response(null, { status: target.status })
    try {
      const body = await readFile(target.path)
      return new Response(request.method === 'HEAD' ? null : body, { headers: appResponseHeaders(target.mime) })
    } catch {
      return new Response(null, { status: 404 })
    }
  })
}
