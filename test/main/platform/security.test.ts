import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, hostContentSecurityPolicy } from '#main/platform/security.ts'

const directives = (policy: string): Map<string, string> =>
  new Map(
    policy.split(';').map(
      (d) =>
        d
          .trim()
          .split(/\s+(.*)/s)
          .slice(0, 2) as [string, string]
    )
  )

describe('the content security policy', () => {
  it("connects to nothing but the page's own origin in the desktop app and in index.html", () => {
    expect(directives(CONTENT_SECURITY_POLICY).get('connect-src')).toBe("'self'")
    const html = readFileSync(join(import.meta.dirname, '../../../src/renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1]
    expect(meta).toBeDefined()
    // The page's own copy is the same policy (frame-ancestors means nothing in a meta tag).
    const expected = directives(CONTENT_SECURITY_POLICY)
    expected.delete('frame-ancestors')
    expect(directives(meta!)).toEqual(expected)
  })

  it("lets the host's page connect to the host's own port only", () => {
    const host = directives(hostContentSecurityPolicy(41234))
    expect(host.get('connect-src')).toBe("'self' ws://127.0.0.1:41234")
    const rest = (m: Map<string, string>) => [...m].filter(([k]) => k !== 'connect-src')
    expect(rest(host)).toEqual(rest(directives(CONTENT_SECURITY_POLICY)))
    for (const policy of [CONTENT_SECURITY_POLICY, hostContentSecurityPolicy(1)]) {
      expect(policy).not.toMatch(/\*/)
      expect(policy).not.toContain('unsafe')
    }
    expect(() => hostContentSecurityPolicy(0)).toThrow()
  })
})
