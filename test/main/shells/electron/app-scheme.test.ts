import { join, sep } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  APP_PAGE_URL,
  DESKTOP_CONTENT_SECURITY_POLICY,
  appResponseHeaders,
  isAppPage,
  resolveAppRequest
} from '#main/shells/electron/app-files.ts'
import { displayServerSwitches } from '#main/shells/electron/display-server.ts'

const root = join(sep, 'opt', 'sightline', 'out', 'renderer')

describe('the desktop app’s own scheme', () => {
  it('serves the page and its assets from the renderer folder, typed', () => {
    expect(resolveAppRequest('GET', APP_PAGE_URL, root)).toEqual({
      kind: 'file',
      path: join(root, 'index.html'),
      mime: 'text/html; charset=utf-8'
    })
    expect(resolveAppRequest('GET', 'sightline://app/', root)).toMatchObject({ path: join(root, 'index.html') })
    expect(resolveAppRequest('GET', 'sightline://app/assets/index-1.js?v=2#x', root)).toEqual({
      kind: 'file',
      path: join(root, 'assets', 'index-1.js'),
      mime: 'text/javascript; charset=utf-8'
    })
    expect(resolveAppRequest('HEAD', 'sightline://app/assets/a%20b.css', root)).toMatchObject({
      path: join(root, 'assets', 'a b.css')
    })
  })

  it('refuses other methods, hosts, schemes, unknown types and every way out of the folder', () => {
    const refused = (method: string, url: string) => resolveAppRequest(method, url, root)
    expect(refused('POST', APP_PAGE_URL)).toEqual({ kind: 'refused', status: 405 })
    expect(refused('GET', 'sightline://evil/index.html')).toEqual({ kind: 'refused', status: 404 })
    expect(refused('GET', 'file:///etc/passwd')).toEqual({ kind: 'refused', status: 404 })
    // URL parsing folds plain dot segments before anything else: this one stays in the folder.
    expect(refused('GET', 'sightline://app/../../etc/passwd.html')).toMatchObject({
      path: join(root, 'etc', 'passwd.html')
    })
    // So does the URL parser with encoded dots.
    expect(refused('GET', 'sightline://app/%2e%2e/%2e%2e/etc/x.js')).toMatchObject({ path: join(root, 'etc', 'x.js') })
    for (const path of ['..%2f..%2fsecret.js', 'a%5c..%5c..%5cx.js', 'x%00.js', 'assets/%E0%A4%A.js'])
      expect(refused('GET', `sightline://app/${path}`)).toMatchObject({ kind: 'refused', status: 400 })
    expect(refused('GET', 'sightline://app/preload.cjs')).toEqual({ kind: 'refused', status: 404 })
    expect(refused('GET', 'not a url')).toEqual({ kind: 'refused', status: 400 })
  })

  it('never names a file outside the renderer folder, whatever the path (fuzzed)', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', 'assets', 'index.html', 'a.js', '%2f', '%5c', '%00', '~', ''),
      fc.string({ maxLength: 6 })
    )
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        const r = resolveAppRequest('GET', `sightline://app/${segments.join('/')}`, root)
        if (r.kind === 'file') expect(r.path.startsWith(root + sep)).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it('sends the exact policy (no WebSocket: the desktop app talks over IPC) and no sniffing', () => {
    expect(DESKTOP_CONTENT_SECURITY_POLICY).toContain("connect-src 'self';")
    expect(DESKTOP_CONTENT_SECURITY_POLICY).not.toContain('ws:')
    expect(DESKTOP_CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(appResponseHeaders('text/css')).toMatchObject({
      'Content-Type': 'text/css',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': DESKTOP_CONTENT_SECURITY_POLICY
    })
  })

  it('knows its own page (what IPC answers and navigation allows) and nothing else', () => {
    expect(isAppPage(APP_PAGE_URL)).toBe(true)
    expect(isAppPage('sightline://app/')).toBe(true)
    for (const url of ['sightline://app/assets/x.js', 'sightline://other/index.html', 'file:///x/index.html', 'junk'])
      expect(isAppPage(url)).toBe(false)
  })
})

describe('the display server switch', () => {
  it('runs natively under Wayland on a Wayland session, X11 when asked, and changes nothing elsewhere', () => {
    expect(displayServerSwitches('auto', 'linux', { XDG_SESSION_TYPE: 'wayland' })).toEqual([
      ['ozone-platform', 'wayland']
    ])
    expect(displayServerSwitches('auto', 'linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual([
      ['ozone-platform', 'wayland']
    ])
    expect(displayServerSwitches('auto', 'linux', { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' })).toEqual([])
    expect(displayServerSwitches('x11', 'linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual([['ozone-platform', 'x11']])
    expect(displayServerSwitches('x11', 'win32', {})).toEqual([])
    expect(displayServerSwitches('auto', 'darwin', { WAYLAND_DISPLAY: 'x' })).toEqual([])
  })
})
