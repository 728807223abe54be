import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StudioError } from '#shared/contract/errors.ts'
import { MailboxWriter, SLOT_BYTES, type MailboxMemory } from '#shared/rpc/reply-mailbox.ts'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import type { RpcMessage } from '#shared/rpc/messages.ts'
import { connectHost } from '#renderer/transport/host-client.ts'
import type { FromSocketWorker, ToSocketWorker } from '#renderer/transport/host-socket-protocol.ts'

/** A request as the host reads it off the wire. */
type Sent = { id: number; method: unknown; arg?: unknown }
function sentOf(frame: Uint8Array): Sent {
  const m = decodeFrame(frame)
  if (m.type !== 'request') throw new Error(`not a request: ${JSON.stringify(m)}`)
  return m.arg === undefined ? { id: m.id, method: m.method } : { id: m.id, method: m.method, arg: m.arg }
}
const replyFrame = (message: RpcMessage): ArrayBuffer => encodeFrame(message).buffer

const location = { host: '127.0.0.1:4321', search: '?token=t0k' } as Location
const flush = () => new Promise<void>((r) => setTimeout(r, 0))

/** A WebSocket whose every event the test sends. */
class FakeSocket {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSING = 2
  static readonly CLOSED = 3
  static all: FakeSocket[] = []
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  onclose: (() => void) | null = null
  onmessage: ((e: { data: unknown }) => void) | null = null
  binaryType = 'blob'
  sent: Sent[] = []
  readonly url: string
  constructor(url: string) {
    this.url = url
    FakeSocket.all.push(this)
  }
  send(frame: Uint8Array): void {
    expect(this.binaryType).toBe('arraybuffer')
    this.sent.push(sentOf(frame))
  }
  reply(id: number, value: unknown): void {
    this.onmessage?.({ data: replyFrame({ type: 'reply', id, ok: true, value }) })
  }
}

/** The socket worker as the page sees it: the test decides how each reply comes back. */
class FakeWorker {
  onmessage: ((e: { data: FromSocketWorker }) => void) | null = null
  onerror: ((e: { preventDefault(): void }) => void) | null = null
  url = ''
  mailbox: MailboxWriter | null = null
  memory: MailboxMemory | null = null
  sent: Sent[] = []
  terminated = false
  postMessage(m: ToSocketWorker, transfer: Transferable[] = []): void {
    if (m.kind === 'connect') {
      this.url = m.url
      this.memory = m.mailbox
      this.mailbox = new MailboxWriter(m.mailbox)
    } else {
      expect(transfer).toEqual([m.bytes.buffer]) // the frame moves to the worker, it is not copied
      this.sent.push(sentOf(m.bytes))
    }
  }
  terminate(): void {
    this.terminated = true
  }
  emit(m: FromSocketWorker): void {
    this.onmessage?.({ data: m })
  }
  /** A reply from the host: into shared memory (as the worker does first), and/or as the page's task. */
  reply(id: number, value: unknown, ways: { memory: boolean; task: boolean }): void {
    const bytes = encodeFrame({ type: 'reply', id, ok: true, value })
    if (ways.memory) this.mailbox?.post(id, bytes)
    if (ways.task) this.emit({ kind: 'reply', bytes })
  }
}

/** Animation frames the test runs by hand. */
function frames() {
  let queued: (() => void)[] = []
  return {
    nextFrame: (cb: () => void) => void queued.push(cb),
    get requested() {
      return queued.length
    },
    run(): void {
      const now = queued
      queued = []
      for (const cb of now) cb()
    }
  }
}

function workerClient() {
  const workers: FakeWorker[] = []
  const f = frames()
  const api = connectHost(location, {
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    startWorker: () => {
      const w = new FakeWorker()
      workers.push(w)
      return w as unknown as Worker
    },
    canShareMemory: true,
    nextFrame: f.nextFrame
  })
  return { api, workers, frames: f }
}

describe('host client over the page socket', () => {
  it('sends each call with the token and takes the replies, bytes and errors included', async () => {
    FakeSocket.all = []
    const api = connectHost(location, { WebSocketImpl: FakeSocket as unknown as typeof WebSocket })
    const info = api.appInfo()
    await flush()
    const ws = FakeSocket.all[0]
    expect(ws.url).toBe('ws://127.0.0.1:4321/api?token=t0k')
    ws.onopen?.()
    await flush()
    expect(ws.sent).toEqual([{ id: 1, method: 'appInfo' }])
    const image = api.getReferenceImage({ id: 'bundled:cube' })
    ws.reply(2, { png: new Uint8Array([1, 2]) })
    ws.reply(1, { name: 'Sightline Studio' })
    expect(await info).toEqual({ name: 'Sightline Studio' })
    expect(await image).toEqual({ png: new Uint8Array([1, 2]) })
    const refused = api.appInfo()
    ws.onmessage?.({
      data: replyFrame({ type: 'reply', id: 3, ok: false, error: { code: 'not-found', message: 'no such thing' } })
    })
    await expect(refused).rejects.toEqual(new StudioError('not-found', 'no such thing'))
  })

  it('fails the waiting calls when the host goes away, and connects again for the next', async () => {
    FakeSocket.all = []
    const api = connectHost(location, { WebSocketImpl: FakeSocket as unknown as typeof WebSocket })
    const first = api.appInfo()
    await flush()
    FakeSocket.all[0].onopen?.()
    await flush()
    FakeSocket.all[0].onclose?.()
    await expect(first).rejects.toThrow('the connection to the Sightline host closed')
    const again = api.appInfo()
    await flush()
    expect(FakeSocket.all).toHaveLength(2)
    FakeSocket.all[1].onerror?.()
    FakeSocket.all[1].onclose?.()
    await expect(again).rejects.toThrow('cannot reach the Sightline host')
  })

  it('never starts a worker when the page cannot share memory with it', async () => {
    FakeSocket.all = []
    let started = 0
    const api = connectHost(location, {
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      startWorker: () => (started++, new FakeWorker() as unknown as Worker),
      canShareMemory: false
    })
    void api.appInfo()
    await flush()
    expect(started).toBe(0)
    expect(FakeSocket.all).toHaveLength(1)
  })
})

describe('host client over the socket worker', () => {
  it('takes a reply from shared memory at the next frame while its task is still held back', async () => {
    const { api, workers, frames } = workerClient()
    const info = api.appInfo()
    await flush()
    const w = workers[0]
    expect(w.url).toBe('ws://127.0.0.1:4321/api?token=t0k')
    w.emit({ kind: 'open' })
    await flush()
    const commit = api.undo({ attemptId: 'a' })
    expect(w.sent.map((r) => r.method)).toEqual(['appInfo', 'undo'])
    let done = false
    void commit.then(() => (done = true))
    // The reply is in (the worker got it) but the page runs no task: the next frame takes it.
    w.reply(2, { cursor: 0 }, { memory: true, task: false })
    await flush()
    expect(done).toBe(false)
    frames.run()
    await flush()
    expect(done).toBe(true)
    expect(await commit).toEqual({ cursor: 0 })
    // Its task comes later and changes nothing; the other call still waits for its own reply.
    w.reply(2, { cursor: 99 }, { memory: false, task: true })
    w.reply(1, { name: 'Sightline Studio' }, { memory: false, task: true })
    expect(await info).toEqual({ name: 'Sightline Studio' })
  })

  it('looks at the frames only while calls wait', async () => {
    const { api, workers, frames } = workerClient()
    const info = api.appInfo()
    await flush()
    workers[0].emit({ kind: 'open' })
    await flush()
    expect(frames.requested).toBe(1)
    frames.run() // nothing in yet: look again next frame
    expect(frames.requested).toBe(1)
    workers[0].reply(1, 'x', { memory: false, task: true })
    await info
    frames.run()
    expect(frames.requested).toBe(0)
  })

  it('takes a reply too large for the mailbox by its task', async () => {
    const { api, workers, frames } = workerClient()
    const picture = api.getReferenceImage({ id: 'x' })
    await flush()
    workers[0].emit({ kind: 'open' })
    await flush()
    const big = new Uint8Array(SLOT_BYTES) // with its frame's header, larger than a slot
    workers[0].reply(1, { png: big }, { memory: true, task: false })
    frames.run()
    let done = false
    void picture.then(() => (done = true))
    await flush()
    expect(done).toBe(false)
    workers[0].reply(1, { png: big }, { memory: false, task: true })
    expect(await picture).toEqual({ png: big })
  })

  it('answers every call exactly once with its own reply, whichever way and order the replies come', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ memory: fc.boolean(), task: fc.boolean(), frameBefore: fc.boolean(), late: fc.boolean() }),
          { minLength: 1, maxLength: 40 }
        ),
        fc.infiniteStream(fc.nat()),
        async (plan, picks) => {
          const { api, workers, frames } = workerClient()
          const first = api.appInfo()
          await flush()
          const w = workers[0]
          w.emit({ kind: 'open' })
          await flush()
          w.reply(1, 'info', { memory: false, task: true })
          await first
          const results: unknown[][] = plan.map(() => [])
          const calls = plan.map((_, i) => api.undo({ attemptId: `a${i}` }))
          calls.forEach((c, i) => void c.then((v) => results[i].push(v)))
          // Replies come in any order; each by shared memory, its task, or both; a task may be
          // held back (late) until after a frame, as Chromium does after pen-up.
          const order = plan.map((_, i) => i)
          const it = picks[Symbol.iterator]()
          for (let i = order.length - 1; i > 0; i--) {
            const j = it.next().value % (i + 1)
            ;[order[i], order[j]] = [order[j], order[i]]
          }
          const held: number[] = []
          for (const i of order) {
            const p = plan[i]
            const id = i + 2
            const value = { call: i }
            if (p.frameBefore) frames.run()
            w.reply(id, value, { memory: p.memory || !p.task, task: false })
            if (p.task && !p.late) w.reply(id, value, { memory: false, task: true })
            if (p.late || !p.task) held.push(i)
          }
          frames.run()
          for (const i of held) w.reply(i + 2, { call: i }, { memory: false, task: true }) // every reply's task comes in the end
          await flush()
          await Promise.all(calls)
          expect(results).toEqual(plan.map((_, i) => [{ call: i }]))
        }
      ),
      { numRuns: 60 }
    )
  })

  it('falls back to the page socket when the worker cannot start, or its script does not load', async () => {
    FakeSocket.all = []
    const throwing = connectHost(location, {
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      startWorker: () => {
        throw new DOMException('refused by policy', 'SecurityError')
      },
      canShareMemory: true
    })
    const a = throwing.appInfo()
    await flush()
    FakeSocket.all[0].onopen?.()
    await flush()
    FakeSocket.all[0].reply(1, 'a')
    expect(await a).toBe('a')

    FakeSocket.all = []
    const { api, workers } = workerClient()
    const b = api.appInfo()
    await flush()
    workers[0].onerror?.({ preventDefault: () => {} })
    expect(workers[0].terminated).toBe(true)
    await flush()
    FakeSocket.all[0].onopen?.()
    await flush()
    FakeSocket.all[0].reply(1, 'b')
    expect(await b).toBe('b')
    const c = api.appInfo()
    FakeSocket.all[0].reply(2, 'c')
    expect(await c).toBe('c')
    expect(workers).toHaveLength(1)
  })

  it('lets go of a worker whose connection closed, and starts a new one for the next call', async () => {
    const { api, workers } = workerClient()
    const a = api.appInfo()
    await flush()
    workers[0].emit({ kind: 'open' })
    await flush()
    workers[0].emit({ kind: 'closed' })
    await expect(a).rejects.toThrow('the connection to the Sightline host closed')
    expect(workers[0].terminated).toBe(true)
    const b = api.appInfo()
    await flush()
    expect(workers).toHaveLength(2)
    workers[1].emit({ kind: 'error' })
    await expect(b).rejects.toThrow('cannot reach the Sightline host')
    expect(workers[1].terminated).toBe(true)
  })
})
