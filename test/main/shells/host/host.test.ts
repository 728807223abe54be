import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import fc from 'fast-check'
import { Encoder } from '@msgpack/msgpack'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { StudioApi } from '#shared/contract/api.ts'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { FRAME_KIND, HEADER_BYTES } from '#shared/rpc/frame-header.ts'
import { startHost, type RunningHost } from '#main/shells/host/server.ts'
import type { HostTiming } from '#main/shells/host/trace.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const TOKEN = 'test-token-abcdefghijklmnopqrstuv'
const api = {
  appInfo: async () => ({
    name: 'Sightline Studio',
    version: '0.1.0',
    shell: 'host',
    frame: { width: 500, height: 500 }
  }),
  getReferenceImage: async ({ id }: { id: string }) => ({ id, width: 2, height: 2, png: new Uint8Array([1, 2, 3]) })
} as unknown as StudioApi

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(host: RunningHost, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

function openSocket(host: RunningHost, opts: { token?: string; origin?: string; cookie?: string }): Promise<WebSocket> {
  const url = `ws://127.0.0.1:${host.port}/api${opts.token !== undefined ? `?token=${opts.token}` : ''}`
  const headers: Record<string, string> = {}
  if (opts.origin) headers.Origin = opts.origin
  if (opts.cookie) headers.Cookie = opts.cookie
  const ws = new WebSocket(url, { headers })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** The next message from the host, decoded; null if the socket closes first. */
function nextReply(ws: WebSocket): Promise<{ binary: boolean; message: ReturnType<typeof decodeFrame> } | null> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer, isBinary: boolean): void => {
      ws.off('close', onClose)
      resolve({ binary: isBinary, message: decodeFrame(new Uint8Array(data)) })
    }
    const onClose = (): void => {
      ws.off('message', onMessage)
      resolve(null)
    }
    ws.once('message', onMessage)
    ws.once('close', onClose)
  })
}

async function call(ws: WebSocket, id: number, method: unknown, arg?: unknown): Promise<unknown> {
  const reply = nextReply(ws)
  ws.send(encodeFrame({ type: 'request', id, method: method as string, arg }))
  return (await reply)?.message
}

/** Sends raw bytes to the host and returns what it answers before closing (or after 2 s). */
function raw(host: RunningHost, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => socket.write(text))
    let answer = ''
    socket.on('data', (c: Buffer) => (answer += c.toString()))
    socket.on('error', reject)
    socket.on('close', () => resolve(answer))
    setTimeout(() => socket.destroy(), 2000)
  })
}

describe('Node host', () => {
  let host: RunningHost
  let own: string
  const dir = tempDir()

  beforeEach(async () => {
    const renderer = join(dir, 'renderer')
    mkdirSync(join(renderer, 'assets'), { recursive: true })
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>studio</title>')
    writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(dir, 'secret.txt'), 'secret')
    host = await startHost({ api, rendererDir: renderer, token: TOKEN, maxMessageBytes: 4096 })
    own = `127.0.0.1:${host.port}`
  })
  afterEach(() => host.close())

  it('listens on the loopback address only and prints a tokenised URL', () => {
    const address = host.server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
    expect(host.url).toBe(`http://${own}/?token=${TOKEN}`)
  })

  it('serves the page with the token, sets the cookie and the CSP', async () => {
    const res = await get(host, `/?token=${TOKEN}`, { Host: own })
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>studio</title>')
    expect(String(res.headers['set-cookie'])).toContain(`sightline_token=${TOKEN}; HttpOnly; SameSite=Strict`)
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
    expect(res.headers['content-security-policy']).not.toContain('unsafe-eval')
    // Connections: its own origin and its own WebSocket, on its own port only.
    expect(res.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${host.port};`)
    expect(res.headers['content-security-policy']).not.toMatch(/:\*/)
  })

  it('makes the page and its scripts cross-origin isolated (the socket worker shares memory with the page)', async () => {
    for (const path of [`/?token=${TOKEN}`, '/assets/app.js']) {
      const res = await get(host, path, { Host: own, Cookie: `sightline_token=${TOKEN}` })
      expect(res.status).toBe(200)
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin')
      expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp')
    }
  })

  it('refuses the page without a token or with a wrong one', async () => {
    expect((await get(host, '/', { Host: own })).status).toBe(403)
    expect((await get(host, '/?token=wrong', { Host: own })).status).toBe(403)
    expect((await get(host, `/?token=${TOKEN}x`, { Host: own })).status).toBe(403)
  })

  it('serves assets to the cookie holder only', async () => {
    expect((await get(host, '/assets/app.js', { Host: own })).status).toBe(403)
    const ok = await get(host, '/assets/app.js', { Host: own, Cookie: `sightline_token=${TOKEN}` })
    expect(ok.status).toBe(200)
    expect(ok.headers['content-type']).toContain('text/javascript')
  })

  it('refuses foreign Host headers (DNS rebinding) and non-GET methods', async () => {
    expect((await get(host, `/?token=${TOKEN}`, { Host: `evil.example:${host.port}` })).status).toBe(421)
    expect((await get(host, `/?token=${TOKEN}`, { Host: own }, 'POST')).status).toBe(405)
  })

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await get(host, path, { Host: own, Cookie: `sightline_token=${TOKEN}` })
      expect(res.status).toBe(404)
      expect(res.body).not.toContain('secret')
    }
  })

  it('answers API calls over the WebSocket from our own origin with the token', async () => {
    const ws = await openSocket(host, { token: TOKEN, origin: `http://${own}` })
    expect(await call(ws, 1, 'appInfo')).toMatchObject({ id: 1, ok: true, value: { name: 'Sightline Studio' } })
    const image = (await call(ws, 2, 'getReferenceImage', { id: 'bundled:cube' })) as { value: { png: Uint8Array } }
    expect(image.value.png).toEqual(new Uint8Array([1, 2, 3]))
    expect(await call(ws, 3, 'getReferenceImage', { id: 7 })).toMatchObject({
      id: 3,
      ok: false,
      error: { code: 'invalid-input' }
    })
    ws.close()
  })

  it('does not compress messages, even when the client offers it (small replies would only wait for zlib)', async () => {
    const ws = await openSocket(host, { token: TOKEN, origin: `http://${own}` }) // the ws client offers permessage-deflate
    expect(ws.extensions).toBe('')
    expect(await call(ws, 1, 'appInfo')).toMatchObject({ ok: true })
    ws.close()
  })

  it('reports when each call was received, decoded, answered and sent, when asked to', async () => {
    const timings: HostTiming[] = []
    const traced = await startHost({
      api,
      rendererDir: join(dir, 'renderer'),
      token: TOKEN,
      trace: (t) => timings.push(t)
    })
    try {
      const ws = await openSocket(traced, { token: TOKEN, origin: `http://127.0.0.1:${traced.port}` })
      await call(ws, 7, 'appInfo')
      await call(ws, 8, 'getReferenceImage', { id: 7 })
      ws.close()
      expect(timings.map((t) => t.hop === 'call' && [t.id, t.method])).toEqual([
        [7, 'appInfo'],
        [8, 'getReferenceImage']
      ])
      for (const t of timings) {
        if (t.hop !== 'call') continue
        expect(t.received).toBeGreaterThan(Date.now() - 60_000) // wall-clock milliseconds, like a page's
        expect(t.decoded).toBeGreaterThanOrEqual(t.received)
        expect(t.answered).toBeGreaterThanOrEqual(t.decoded)
        expect(t.sent).toBeGreaterThanOrEqual(t.answered)
      }
    } finally {
      await traced.close()
    }
  })

  it('accepts the cookie in place of the query token', async () => {
    const ws = await openSocket(host, { origin: `http://${own}`, cookie: `sightline_token=${TOKEN}` })
    expect(await call(ws, 1, 'appInfo')).toMatchObject({ ok: true })
    ws.close()
  })

  it('refuses sockets without the token, from another origin or without an origin', async () => {
    await expect(openSocket(host, { origin: `http://${own}` })).rejects.toThrow('refused 403')
    await expect(openSocket(host, { token: 'nope', origin: `http://${own}` })).rejects.toThrow('refused 403')
    await expect(openSocket(host, { token: TOKEN, origin: 'http://evil.example' })).rejects.toThrow('refused 403')
    await expect(openSocket(host, { token: TOKEN })).rejects.toThrow('refused 403')
  })

  it.each(['http://[', '//[', 'http://a:99999/', 'http://%zz/', '/%', `/%?token=${TOKEN}`, '/%zz', '/%E0%A4%A'])(
    'refuses the malformed request target %s and keeps serving',
    async (target) => {
      const cookie = `Cookie: sightline_token=${TOKEN}\r\n`
      for (const upgrade of [
        '',
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n'
      ]) {
        const answer = await raw(
          host,
          `GET ${target} HTTP/1.1\r\nHost: ${own}\r\n${cookie}${upgrade}Connection: close\r\n\r\n`
        )
        expect(answer).toMatch(/^HTTP\/1\.1 (400|403|404)/)
      }
      expect((await get(host, `/?token=${TOKEN}`, { Host: own })).status).toBe(200)
    }
  )

  it('answers a method name that cannot be turned into a string, and keeps serving', async () => {
    const ws = await openSocket(host, { token: TOKEN, origin: `http://${own}` })
    expect(await call(ws, 1, { toString: 1 })).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'invalid-input', message: 'unknown method of type object' }
    })
    expect(await call(ws, 2, 'appInfo')).toMatchObject({ id: 2, ok: true })
    ws.close()
  })

  it('answers text frames and garbage with an error, and closes on oversized messages', async () => {
    const ws = await openSocket(host, { token: TOKEN, origin: `http://${own}` })
    for (const junk of ['{"id":1,"method":"appInfo"}', Buffer.from([1, 9, 0, 0, 0, 0xc1])]) {
      const reply = nextReply(ws)
      ws.send(junk)
      expect(await reply).toMatchObject({
        binary: true,
        message: { type: 'reply', ok: false, error: { code: 'invalid-input' } }
      })
    }
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.send(new Uint8Array(10_000))
    expect(await closed).toBe(1009) // "message too big"
  })

  it('answers every one of a few hundred malformed binary frames with an error under its id, and keeps serving', async () => {
    // Frames of every kind of wrong: random bytes, a good header over a random body, MessagePack
    // of anything under each kind byte, good requests with wrong methods or arguments, truncations.
    const encoder = new Encoder()
    const framed = (kind: number, id: number, body: Uint8Array): Uint8Array => {
      const frame = new Uint8Array(HEADER_BYTES + body.length)
      frame[0] = kind
      new DataView(frame.buffer).setUint32(1, id, true)
      frame.set(body, HEADER_BYTES)
      return frame
    }
    const id = fc.integer({ min: 0, max: 0xffff_ffff })
    const anyValue = fc.anything({ withNullPrototype: false }).filter((v) => {
      try {
        encoder.encode(v)
        return true
      } catch {
        return false
      }
    })
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.tuple(fc.nat({ max: 255 }), id, fc.uint8Array({ maxLength: 40 })).map(([k, i, b]) => framed(k, i, b)),
      fc.tuple(fc.constantFrom(1, 2, 3, 4), id, anyValue).map(([k, i, v]) => framed(k, i, encoder.encode(v))),
      fc
        .tuple(
          id,
          fc.oneof(fc.constantFrom('appInfo', 'getReferenceImage', 'nope', '__proto__', 'constructor'), anyValue),
          anyValue
        )
        .map(([i, m, a]) => framed(1, i, encoder.encode({ m, a }))),
      fc.tuple(id, fc.nat()).map(([i, cut]) => {
        const f = encodeFrame({ type: 'request', id: i, method: 'getReferenceImage', arg: { id: 'bundled:cube' } })
        return f.slice(0, cut % f.length)
      })
    )
    // (Frames over the size limit close the socket instead: the test above.)
    const ws = await openSocket(host, { token: TOKEN, origin: `http://${own}` })
    await fc.assert(
      fc.asyncProperty(frame, async (bytes) => {
        const reply = nextReply(ws)
        ws.send(bytes)
        const got = await reply
        if (got === null) throw new Error('the host closed the socket on a small frame')
        expect(got.binary).toBe(true)
        expect(got.message.type).toBe('reply')
        const header =
          bytes.length >= HEADER_BYTES ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(1, true) : 0
        expect(got.message.id).toBe(header)
        const request = bytes[0] === FRAME_KIND.request ? decodeFrame(bytes) : null
        const wellFormed =
          request?.type === 'request' && (request.method === 'appInfo' || request.method === 'getReferenceImage')
        if (!wellFormed) expect(got.message).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
      }),
      { numRuns: 300 }
    )
    expect(await call(ws, 1, 'appInfo')).toMatchObject({ id: 1, ok: true, value: { name: 'Sightline Studio' } })
    ws.close()
    expect((await get(host, `/?token=${TOKEN}`, { Host: own })).status).toBe(200)
  })
})
