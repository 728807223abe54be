import type { Session, WebContents } from 'electron'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { devServerUrl, navigationAllowed, studioPageMatcher } from '#main/shells/electron/window-policy.ts'
import { hardenContents, hardenSession } from '#main/shells/electron/hardening.ts'
import { CONTENT_SECURITY_POLICY } from '#main/platform/security.ts'

const PAGE = 'file:///opt/Sightline/resources/app/out/renderer/index.html'

describe('the dev server URL', () => {
  it('is honoured only in an unpackaged app, and only on this machine over http(s)', () => {
    const env = (url?: string) => ({ ELECTRON_RENDERER_URL: url })
    expect(devServerUrl(env('http://localhost:5173/'), false)).toEqual({ url: 'http://localhost:5173/' })
    expect(devServerUrl(env('http://127.0.0.1:5173'), false)).toEqual({ url: 'http://127.0.0.1:5173/' })
    expect(devServerUrl(env('https://[::1]:5173/x'), false)).toEqual({ url: 'https://[::1]:5173/x' })
    expect(devServerUrl(env(undefined), true)).toEqual({ url: null, ignored: null })
    expect(devServerUrl(env(''), false)).toEqual({ url: null, ignored: null })
    expect(devServerUrl(env('http://localhost:5173/'), true)).toMatchObject({
      url: null,
      ignored: expect.stringContaining('packaged')
    })
    for (const bad of [
      'https://evil.example/',
      'http://localhost.evil.example/',
      'http://user:pw@localhost:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,hi',
      'not a url',
      'ws://localhost:5173/'
    ])
      expect(devServerUrl(env(bad), false), bad).toMatchObject({ url: null, ignored: expect.any(String) })
  })
})

describe("the studio's own page", () => {
  const isStudio = studioPageMatcher(PAGE)

  it('is the built page, whatever its query or fragment; nothing else is', () => {
    expect(isStudio(PAGE)).toBe(true)
    expect(isStudio(`${PAGE}?x=1#y`)).toBe(true)
    for (const other of [
      'file:///opt/Sightline/resources/app/out/renderer/other.html',
      'file:///etc/passwd',
      'file://host/opt/Sightline/resources/app/out/renderer/index.html',
      'https://evil.example/opt/Sightline/resources/app/out/renderer/index.html',
      'data:text/html,<h1>hi</h1>',
      'javascript:alert(1)',
      'about:blank',
      '',
      '::'
    ])
      expect(isStudio(other), other).toBe(false)
  })

  it("'/' and '/index.html' of the dev server are one page; its port and credentials count", () => {
    const dev = studioPageMatcher('http://localhost:5173/')
    expect(dev('http://localhost:5173/index.html')).toBe(true)
    expect(dev('http://localhost:5173/?t=1')).toBe(true)
    expect(dev('http://localhost:5174/')).toBe(false)
    expect(dev('http://user@localhost:5173/')).toBe(false)
    expect(dev('https://localhost:5173/')).toBe(false)
  })

  it('accepts no URL of another origin or path (any URL)', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const u = new URL(url)
        expect(isStudio(url)).toBe(false)
        const dev = studioPageMatcher('http://localhost:5173/')
        if (dev(url)) expect(u.origin).toBe('http://localhost:5173')
      })
    )
  })

  it('is the only place navigation goes, and only in the top frame', () => {
    expect(navigationAllowed(isStudio, { url: PAGE, isMainFrame: true })).toBe(true)
    expect(navigationAllowed(isStudio, { url: PAGE, isMainFrame: false })).toBe(false)
    expect(navigationAllowed(isStudio, { url: 'https://evil.example/', isMainFrame: true })).toBe(false)
  })
})

/** A web contents that records its handlers, so the test can fire its events. */
function fakeContents() {
  const handlers = new Map<string, (event: unknown) => void>()
  let openHandler: (() => { action: string }) | null = null
  const contents = {
    setWindowOpenHandler: (h: () => { action: string }) => (openHandler = h),
    on: (name: string, h: (event: unknown) => void) => handlers.set(name, h)
  } as unknown as WebContents
  const fire = (name: string, details: { url?: string; isMainFrame?: boolean }): boolean => {
    const event = { ...details, preventDefault: vi.fn() }
    handlers.get(name)!(event)
    return event.preventDefault.mock.calls.length > 0
  }
  return { contents, fire, openHandler: () => openHandler?.() }
}

describe('hardening applied to a web contents and the session', () => {
  it('blocks navigation, redirects and frame navigation away, webviews and new windows', () => {
    const { contents, fire, openHandler } = fakeContents()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    hardenContents(contents, studioPageMatcher(PAGE))
    expect(openHandler()).toEqual({ action: 'deny' })
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(fire(name, { url: 'https://evil.example/', isMainFrame: true }), name).toBe(true)
      expect(fire(name, { url: PAGE, isMainFrame: true }), name).toBe(false)
    }
    expect(fire('will-frame-navigate', { url: PAGE, isMainFrame: false })).toBe(true)
    expect(fire('will-attach-webview', {})).toBe(true)
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('blocked a redirect to https://evil.example/'))
    warn.mockRestore()
  })

  it('grants no permission, on request or on check, and no device; sets the policy on every response', () => {
    const calls: Record<string, (...args: never[]) => unknown> = {}
    const session = {
      setPermissionRequestHandler: (h: never) => (calls.request = h),
      setPermissionCheckHandler: (h: never) => (calls.check = h),
      setDevicePermissionHandler: (h: never) => (calls.device = h),
      webRequest: { onHeadersReceived: (h: never) => (calls.headers = h) }
    } as unknown as Session
    hardenSession(session, CONTENT_SECURITY_POLICY)
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'hid']) {
      const callback = vi.fn()
      ;(calls.request as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(null, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
      expect((calls.check as (wc: unknown, p: string) => boolean)(null, permission)).toBe(false)
    }
    expect((calls.device as () => boolean)()).toBe(false)
    const got = vi.fn()
    ;(calls.headers as (d: unknown, cb: (r: unknown) => void) => void)({ responseHeaders: { A: ['b'] } }, got)
    expect(got).toHaveBeenCalledWith({
      responseHeaders: { A: ['b'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] }
    })
  })
})
