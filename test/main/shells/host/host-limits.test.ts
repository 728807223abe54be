// The host's resources are bounded: idle connections without the token are closed, open
// connections and API sockets are capped, a request cannot decode into more values than the limit,
// and the memory for messages in flight (uploads arriving, requests waiting for their answers,
// replies a client does not read) stays within the budget.
import { mkdirSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { StudioApi } from '#shared/contract/api.ts'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { FRAME_KIND, HEADER_BYTES } from '#shared/rpc/frame-header.ts'
import { startHost, type HostOptions, type RunningHost } from '#main/shells/host/server.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const TOKEN = 'test-token-abcdefghijklmnopqrstuv'
const KiB = 1024
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** An API whose upload and image calls take a while, and whose image is 256 KiB: memory that waits. */
const api = {
  appInfo: async () => ({ name: 'Sightline Studio', version: '0', shell: 'host', frame: { width: 500, height: 500 } }),
  importReference: async ({ bytes }: { bytes: Uint8Array }) => {
    await sleep(30)
    return { id: `lib:${bytes.length}` }
  },
  getReferenceImage: async ({ id }: { id: string }) => ({ id, width: 1, height: 1, png: new Uint8Array(256 * KiB) })
} as unknown as StudioApi

const hosts: RunningHost[] = []
const sockets: (WebSocket | Socket)[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) {
    if (s instanceof WebSocket) s.terminate()
    else s.destroy()
  }
  await Promise.all(hosts.splice(0).map((h) => h.close()))
})

async function host(options: Partial<HostOptions> = {}): Promise<RunningHost> {
  const dir = tempDir()
  mkdirSync(join(dir, 'renderer'))
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>')
  const h = await startHost({ api, rendererDir: join(dir, 'renderer'), token: TOKEN, ...options })
  hosts.push(h)
  return h
}

function openSocket(h: RunningHost): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}/api?token=${TOKEN}`, {
    headers: { Origin: `http://127.0.0.1:${h.port}` },
    perMessageDeflate: false
  })
  sockets.push(ws)
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function rawSocket(h: RunningHost, text = ''): Promise<Socket> {
  return new Promise((resolve) => {
    const s = connect(h.port, '127.0.0.1', () => {
      if (text) s.write(text)
      resolve(s)
    })
    s.on('error', () => undefined)
    sockets.push(s)
  })
}

const closed = (s: Socket): Promise<void> =>
  new Promise((resolve) => (s.destroyed || s.readyState === 'closed' ? resolve() : s.once('close', () => resolve())))

/** The replies to `n` calls, in the order they come. */
function replies(ws: WebSocket, n: number): Promise<ReturnType<typeof decodeFrame>[]> {
  const got: ReturnType<typeof decodeFrame>[] = []
  return new Promise((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      got.push(decodeFrame(new Uint8Array(data)))
      if (got.length === n) resolve(got)
    })
    ws.once('close', (code) => reject(new Error(`closed with ${code} after ${got.length} replies`)))
  })
}

describe('the host’s limits', () => {
  it('closes connections that do not show the token within idleMs, and keeps the ones that did', async () => {
    const h = await host({ limits: { idleMs: 300 } })
    const silent = await Promise.all(Array.from({ length: 20 }, () => rawSocket(h)))
    const slow = await rawSocket(h, `GET /?token=${TOKEN} HTTP/1.1\r\nHost: 127.0.0.1:${h.port}\r\n`) // never ends its headers
    const page = await openSocket(h)
    const started = Date.now()
    await Promise.all([...silent, slow].map(closed))
    expect(Date.now() - started).toBeLessThan(5_000)
    await sleep(400) // past idleMs: the page's socket is still open and answers
    const answer = replies(page, 1)
    page.send(encodeFrame({ type: 'request', id: 1, method: 'appInfo' }))
    expect((await answer)[0]).toMatchObject({ id: 1, ok: true })
  })

  it('caps open connections, and API sockets (503 past the cap)', async () => {
    const h = await host({ limits: { maxConnections: 6, maxSockets: 2 } })
    const a = await openSocket(h)
    await openSocket(h)
    await expect(openSocket(h)).rejects.toThrow('refused 503')
    a.close()
    await new Promise((r) => a.once('close', r))
    await sleep(50)
    await openSocket(h) // a place freed
    const extra = await Promise.all(Array.from({ length: 10 }, () => rawSocket(h)))
    await sleep(100)
    const count = await new Promise<number>((r) => h.server.getConnections((_e, n) => r(n)))
    expect(count).toBeLessThanOrEqual(6)
    expect(extra.filter((s) => s.destroyed || s.readyState === 'closed').length).toBeGreaterThanOrEqual(6)
  })

  it('refuses a request of more values than maxItems without decoding it, and goes on', async () => {
    const h = await host({ limits: { maxItems: 1000 } })
    const ws = await openSocket(h)
    const body = new Uint8Array(5 + 2000)
    body.set([0xdd, 0, 0, 0x07, 0xd0]) // an array of 2,000 zeros
    const frame = new Uint8Array(HEADER_BYTES + body.length)
    frame[0] = FRAME_KIND.request
    new DataView(frame.buffer).setUint32(1, 9, true)
    frame.set(body, HEADER_BYTES)
    const answer = replies(ws, 2)
    ws.send(frame)
    ws.send(encodeFrame({ type: 'request', id: 10, method: 'appInfo' }))
    const [refused, ok] = await answer
    expect(refused).toMatchObject({ id: 9, ok: false, error: { code: 'invalid-input' } })
    expect((refused as { error: { message: string } }).error.message).toContain('more than 1,000 values')
    expect(ok).toMatchObject({ id: 10, ok: true })
  })

  it('takes several large uploads at once one at a time: the memory in flight stays near one', async () => {
    const upload = 600 * KiB
    const freeBytes = 64 * KiB
    const h = await host({ maxMessageBytes: 700 * KiB, limits: { freeBytes, largeSlots: 1 } })
    const clients = await Promise.all(Array.from({ length: 4 }, () => openSocket(h)))
    const answers = clients.map((ws) => replies(ws, 1))
    clients.forEach((ws, i) =>
      ws.send(
        encodeFrame({
          type: 'request',
          id: i + 1,
          method: 'importReference',
          arg: { fileName: 'a.png', bytes: new Uint8Array(upload) }
        })
      )
    )
    const got = (await Promise.all(answers)).map((r) => r[0])
    expect(got.map((r) => (r as { value: { id: string } }).value.id)).toEqual(Array(4).fill(`lib:${upload}`))
    // One upload in a slot, the others each held to their free allowance (and a socket chunk).
    const chunk = 64 * KiB
    expect(h.budget.peak).toBeLessThanOrEqual(upload + 2 * KiB + 4 * (freeBytes + chunk) + 4 * chunk)
    expect(h.budget.peak).toBeGreaterThanOrEqual(upload)
    expect(h.budget.inFlight).toBe(0)
  })

  it('stops reading from a client that does not read its replies, and serves it again once it does', async () => {
    const freeBytes = 512 * KiB
    const maxPending = 4
    const h = await host({ maxMessageBytes: 64 * KiB, limits: { freeBytes, largeSlots: 1, maxPending } })
    const ws = await openSocket(h)
    const n = 200 // 200 replies of 256 KiB: 50 MiB if the host kept them all
    const answer = replies(ws, n)
    ws.pause() // the client reads nothing
    for (let i = 1; i <= n; i++)
      ws.send(encodeFrame({ type: 'request', id: i, method: 'getReferenceImage', arg: { id: 'bundled:cube' } }))
    await sleep(500)
    // Held: what a slot allows, and the answers of the requests already being answered.
    const slot = 64 * KiB + freeBytes
    expect(h.budget.peak).toBeLessThanOrEqual(slot + maxPending * (256 * KiB + 64))
    ws.resume()
    const got = await answer
    expect(got.map((r) => r.id)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    expect(h.budget.inFlight).toBe(0)
  })
})
