// The desktop app's limits on every web contents and on its session, applied as each web
// contents is created (so a contents nobody expected is held to them too). What is allowed is
// decided in window-policy.ts (pure, tested); this file only wires it to Electron.
import type { Event, Session, WebContents } from 'electron'
import { navigationAllowed } from './window-policy.ts'

/** No new windows, no webviews, no navigation, redirect or frame navigation away from the studio. */
export function hardenContents(contents: WebContents, isStudioPage: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const guard = (what: string) => (event: Event, nav: { url: string; isMainFrame: boolean }) => {
    if (navigationAllowed(isStudioPage, nav)) return
    event.preventDefault()
    console.warn(`[sightline] blocked a ${what} to ${nav.url.slice(0, 200)}`)
  }
  const navigation = guard('navigation')
  const redirect = guard('redirect')
  const frameNavigation = guard('frame navigation')
  contents.on('will-navigate', (event) => navigation(event, { url: event.url, isMainFrame: event.isMainFrame }))
  contents.on('will-redirect', (event) => redirect(event, { url: event.url, isMainFrame: event.isMainFrame }))
  contents.on('will-frame-navigate', (event) =>
    frameNavigation(event, { url: event.url, isMainFrame: event.isMainFrame })
  )
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/**
 * The studio needs no permission: every request is refused, every check answered no (the check
 * handler is what a page's permission queries and several APIs ask before any request), and no
 * device (HID, serial, USB) is granted. The policy header goes on every response.
 */
export function hardenSession(session: Session, contentSecurityPolicy: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } })
  })
}
