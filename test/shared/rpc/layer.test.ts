import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StudioError, type Envelope } from '#shared/contract/errors.ts'
import { RpcClient } from '#shared/rpc/client.ts'
import { memoryPortPair } from '#shared/rpc/memory-port.ts'
import { MAX_ID, NO_ID, type RpcMessage } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
import { answer, serve, type RpcHandler } from '#shared/rpc/server.ts'

const settle = () => new Promise<void>((r) => setTimeout(r, 0))

/** A client whose every connect() serves `handler` on a fresh in-memory pair; the server ends are kept. */
function pair(handler: RpcHandler, options: Partial<ConstructorParameters<typeof RpcClient>[0]> = {}) {
  const servers: RpcPort[] = []
  const clients: RpcPort[] = []
  const client = new RpcClient({
    connect: () => {
      const [c, s] = memoryPortPair()
      serve(s, handler)
      servers.push(s)
      clients.push(c)
      return c
    },
    ...options
  })
  return { client, servers, clients }
}

const echo: RpcHandler = (method, arg) => ({ ok: true, value: { method, arg } })

afterEach(() => {
  vi.useRealTimers()
})

describe('request/reply layer over an in-memory port pair', () => {
  it('answers each of many concurrent calls with its own reply, whatever order the handler finishes in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: 6 }), { minLength: 1, maxLength: 30 }), async (delays) => {
        const started: number[] = []
        const { client } = pair(async (_method, arg) => {
          const { i, delay } = arg as { i: number; delay: number }
          started.push(i)
          for (let k = 0; k < delay; k++) await settle() // later calls may finish first
          return { ok: true, value: i * 10 }
        })
        const calls = delays.map((delay, i) => client.call('work', { i, delay }))
        expect(await Promise.all(calls)).toEqual(delays.map((_, i) => i * 10))
        expect(started).toEqual(delays.map((_, i) => i)) // delivered in the order sent
        expect(client.waitingCalls()).toEqual([])
      }),
      { numRuns: 40 }
    )
  })

  it('carries values unchanged, bytes included, and error replies as StudioErrors with their code', async () => {
    const { client } = pair((method, arg) => {
      if (method === 'refuse') return { ok: false, error: { code: 'not-found', message: 'no such thing' } }
      if (method === 'throw') throw new Error('boom')
      return { ok: true, value: arg }
    })
    const bytes = new Uint8Array([1, 2, 3])
    expect(await client.call('echo', { png: bytes, n: 1.5 })).toEqual({ png: bytes, n: 1.5 })
    await expect(client.call('refuse')).rejects.toEqual(new StudioError('not-found', 'no such thing'))
    await expect(client.call('throw')).rejects.toMatchObject({
      code: 'internal',
      message: 'the request failed unexpectedly: boom'
    })
  })

  it('fails the waiting calls with the reason when the peer dies, and connects again for the next call', async () => {
    const { client, servers } = pair(() => new Promise<Envelope<unknown>>(() => {})) // never answers
    const waiting = [client.call('a'), client.call('b')]
    await settle()
    await servers[0].close()
    for (const w of waiting) await expect(w).rejects.toEqual(new StudioError('internal', 'closed'))
    expect(client.waitingCalls()).toEqual([])
    void client.call('c').catch(() => undefined)
    expect(servers).toHaveLength(2)
  })

  it('ignores replies nobody waits for: unknown ids, id 0, duplicates and malformed ones', async () => {
    let clientEnd: RpcPort | null = null
    let serverEnd: RpcPort | null = null
    const client = new RpcClient({
      connect: () => {
        ;[clientEnd, serverEnd] = memoryPortPair()
        return clientEnd
      }
    })
    const call = client.call('x')
    const server = serverEnd as unknown as RpcPort
    for (const stray of [
      { type: 'reply', id: 99, ok: true, value: 'stray' },
      { type: 'reply', id: NO_ID, ok: true, value: 'stray' },
      { type: 'reply', id: 1 }, // neither ok nor not ok
      { type: 'reply', id: -1, ok: true, value: 'stray' },
      { type: 'request', id: 1, method: 'x' },
      null,
      'text'
    ])
      server.send(stray as RpcMessage)
    await settle()
    expect(client.waitingCalls().map((c) => c.id)).toEqual([1])
    server.send({ type: 'reply', id: 1, ok: true, value: 'mine' })
    server.send({ type: 'reply', id: 1, ok: true, value: 'again' })
    expect(await call).toBe('mine')
    // An error reply whose error is malformed still fails its call, with a code.
    const second = client.call('y')
    server.send({ type: 'reply', id: 2, ok: false, error: 'nope' } as unknown as RpcMessage)
    await expect(second).rejects.toMatchObject({ code: 'internal', message: 'the reply carried a malformed error' })
  })

  it('fails a call that has no reply in time, by default', async () => {
    vi.useFakeTimers()
    const { client } = pair(() => new Promise<Envelope<unknown>>(() => {}), { timeoutMs: 100 })
    const call = client.call('slow')
    const outcome = call.catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(99)
    expect(client.waitingCalls()).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(await outcome).toEqual(new StudioError('internal', 'slow had no reply within 100 ms'))
  })

  it('lets the caller decide what a timeout means: a new port, the waiting calls sent again', async () => {
    vi.useFakeTimers()
    let swallowing = true // the first server hangs, as a stuck process would
    const timedOut: string[] = []
    const { client, servers } = pair(
      (method) => (swallowing ? new Promise<Envelope<unknown>>(() => {}) : { ok: true, value: method }),
      {
        timeoutMs: 100,
        onTimeout: (call) => {
          timedOut.push(call.method)
          swallowing = false
          void client.disconnect()
          for (const waiting of client.waitingCalls()) client.resend(waiting.id)
        }
      }
    )
    const calls = [client.call('a'), client.call('b')]
    await vi.advanceTimersByTimeAsync(150)
    expect(await Promise.all(calls)).toEqual(['a', 'b'])
    expect(timedOut).toEqual(['a']) // resending restarted b's clock: one recovery, not two
    expect(servers).toHaveLength(2)
  })

  it('lets the caller decide what a closed port means: the same ids answered by a new peer', async () => {
    const answeredBy: number[] = []
    const made = pair(
      async (method) => {
        answeredBy.push(made.servers.length)
        if (made.servers.length === 1) return new Promise<Envelope<unknown>>(() => {})
        return { ok: true, value: method }
      },
      {
        onClose: () => {
          for (const waiting of made.client.waitingCalls()) made.client.resend(waiting.id)
        }
      }
    )
    const client = made.client
    const calls = [client.request('a'), client.request('b')]
    await settle()
    await made.servers[0].close()
    expect(await Promise.all(calls.map((c) => c.reply))).toEqual(['a', 'b'])
    expect(calls.map((c) => c.id)).toEqual([1, 2])
    expect(answeredBy).toEqual([1, 1, 2, 2])
  })

  it('asks the port to hold its process only while calls wait', async () => {
    const holds: boolean[] = []
    const { client } = pair(echo, {})
    const withHold = new RpcClient({
      connect: () => {
        const [c, s] = memoryPortPair()
        serve(s, echo)
        return { ...c, hold: (busy: boolean) => holds.push(busy) }
      }
    })
    await Promise.all([withHold.call('a'), withHold.call('b')])
    await withHold.call('c')
    expect(holds).toEqual([true, false, true, false])
    expect(await client.call('m', 1)).toEqual({ method: 'm', arg: 1 })
  })

  it('sends notifications (id 0) whose replies nobody waits for', async () => {
    const seen: unknown[] = []
    const { client } = pair((method, arg) => {
      seen.push([method, arg])
      return { ok: true, value: null }
    })
    expect(client.notify('replay', { n: 1 })).toBe(true)
    expect(await client.call('after')).toBeNull()
    expect(seen).toEqual([
      ['replay', { n: 1 }],
      ['after', undefined]
    ])
    expect(client.waitingCalls()).toEqual([])
  })

  it('fails a call at once when its port cannot carry it, and one that cannot connect', async () => {
    const [c] = memoryPortPair()
    const client = new RpcClient({
      connect: () => ({
        ...c,
        send: () => {
          throw new Error('could not be cloned')
        }
      })
    })
    await expect(client.call('x', { f: () => 1 })).rejects.toEqual(
      new StudioError('invalid-input', 'x: the request could not be sent (could not be cloned)')
    )
    expect(client.waitingCalls()).toEqual([])
    const unreachable = new RpcClient({
      connect: () => {
        throw new Error('no process')
      }
    })
    await expect(unreachable.call('y')).rejects.toEqual(
      new StudioError('internal', 'y: could not connect (no process)')
    )
  })

  it('tells a settle hook at once, before the next reply is read, and fails one call on request', async () => {
    const { client } = pair((method) =>
      method === 'refuse' ? { ok: false, error: { code: 'no-ink', message: 'no ink' } } : { ok: true, value: method }
    )
    const order: string[] = []
    const first = client.request('refuse', undefined, (call, error) => {
      order.push(`hook ${call.method} ${error?.message}`)
      // What a supervisor does on a failed build: fail the session's next call before its reply is read.
      client.fail(second.id, new StudioError('no-ink', 'no ink'))
    })
    const second = client.request('scores')
    first.reply.catch((e: Error) => order.push(`first rejected: ${e.message}`))
    await expect(second.reply).rejects.toEqual(new StudioError('no-ink', 'no ink'))
    expect(order[0]).toBe('hook refuse no ink')
    expect(client.isWaiting(second.id)).toBe(false)
    expect(client.fail(second.id, new Error('again'))).toBe(false)
    expect(await client.call('after')).toBe('after')
  })

  it('refuses every call after close, with the closing error', async () => {
    const { client } = pair(echo)
    await client.call('a')
    await client.close(new StudioError('evaluator', 'shut down'))
    await expect(client.call('b')).rejects.toEqual(new StudioError('evaluator', 'shut down'))
    expect(client.notify('c')).toBe(false)
  })
})

describe('answer', () => {
  /** What answer must do with a message, said plainly. */
  function expected(message: unknown): { id: number; handled: boolean } {
    const isObject = typeof message === 'object' && message !== null && !Array.isArray(message)
    const m = message as Record<string, unknown>
    const idOk = isObject && Number.isInteger(m.id) && (m.id as number) >= 0 && (m.id as number) <= MAX_ID
    const id = idOk ? (m.id as number) : NO_ID
    if (isObject && m.type === 'unreadable') return { id, handled: false }
    return { id, handled: isObject && m.type === 'request' && idOk && Object.hasOwn(m, 'method') }
  }

  it('turns any message at all into exactly one reply, running only well-formed requests', async () => {
    const message = fc.oneof(
      fc.anything(),
      fc.record(
        {
          type: fc.constantFrom('request', 'reply', 'unreadable', 'other'),
          id: fc.oneof(fc.integer({ min: -2, max: 2 ** 33 }), fc.double(), fc.string()),
          method: fc.anything(),
          arg: fc.anything(),
          problem: fc.string()
        },
        { requiredKeys: ['type'] }
      )
    )
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const calls: unknown[] = []
        const reply = await answer(m, (method, arg) => {
          calls.push([method, arg])
          return { ok: true, value: 'ran' }
        })
        const want = expected(m)
        expect(reply.type).toBe('reply')
        expect(reply.id).toBe(want.id)
        expect(calls).toHaveLength(want.handled ? 1 : 0)
        if (want.handled) expect(reply).toEqual({ type: 'reply', id: want.id, ok: true, value: 'ran' })
        else expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
      }),
      { numRuns: 500 }
    )
  })

  it('passes a method that is not a string on to the handler, which names it', async () => {
    const reply = await answer({ type: 'request', id: 4, method: { toString: 1 } }, (method) => ({
      ok: false,
      error: { code: 'invalid-input', message: `unknown method of type ${typeof method}` }
    }))
    expect(reply).toEqual({
      type: 'reply',
      id: 4,
      ok: false,
      error: { code: 'invalid-input', message: 'unknown method of type object' }
    })
  })
})
