import type { IpcMain, IpcMainEvent } from 'electron'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import type { StudioApi } from '#shared/contract/api.ts'
import { RPC_CHANNEL } from '#shared/contract/bridge.ts'
import type { RpcReply } from '#shared/rpc/messages.ts'
import { registerIpc, studioSenderCheck } from '#main/shells/electron/ipc.ts'

type Listener = (event: IpcMainEvent, message: unknown) => void

function fakeIpcMain(): { ipcMain: IpcMain; listeners: Map<string, Listener[]> } {
  const listeners = new Map<string, Listener[]>()
  const ipcMain = {
    on: vi.fn((channel: string, fn: Listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), fn])),
    removeListener: vi.fn((channel: string, fn: Listener) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((l) => l !== fn)
      )
    )
  } as unknown as IpcMain
  return { ipcMain, listeners }
}

const STUDIO = 'file:///app/out/renderer/index.html'

/** An IPC event from a frame, whose replies the test collects. */
function eventFrom(url: string | null, parent: object | null = null, destroyed = false) {
  const replies: RpcReply[] = []
  let answered!: () => void
  const first = new Promise<void>((resolve) => (answered = resolve))
  const event = {
    senderFrame: url === null ? null : { url, parent },
    sender: { isDestroyed: () => destroyed },
    reply: vi.fn((channel: string, reply: RpcReply) => {
      expect(channel).toBe(RPC_CHANNEL)
      replies.push(reply)
      answered()
    })
  } as unknown as IpcMainEvent
  return { event, replies, first }
}

const api = {
  appInfo: vi.fn(async () => ({
    name: 'Sightline Studio',
    version: '0.1.0',
    shell: 'electron',
    frame: { width: 500, height: 500 }
  })),
  getReferenceImage: vi.fn(async ({ id }: { id: string }) => ({ id, width: 1, height: 1, png: new Uint8Array([7]) }))
} as unknown as StudioApi

const check = studioSenderCheck((url) => url === STUDIO)

/** Send one message on the channel as a page would, and wait for what main answers. */
async function send(listeners: Map<string, Listener[]>, message: unknown, from = eventFrom(STUDIO)) {
  for (const l of listeners.get(RPC_CHANNEL) ?? []) l(from.event, message)
  await from.first
  await new Promise((r) => setImmediate(r)) // time for a second reply, which must not come
  return from.replies
}

describe('IPC binding', () => {
  it('listens on the one RPC channel and stops', () => {
    const { ipcMain, listeners } = fakeIpcMain()
    const unregister = registerIpc(ipcMain, api, check)
    expect([...listeners.keys()]).toEqual([RPC_CHANNEL])
    expect(listeners.get(RPC_CHANNEL)).toHaveLength(1)
    unregister()
    expect(listeners.get(RPC_CHANNEL)).toHaveLength(0)
  })

  it('answers the studio page with one reply under the request id, bytes as bytes', async () => {
    const { ipcMain, listeners } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    const replies = await send(listeners, {
      type: 'request',
      id: 3,
      method: 'getReferenceImage',
      arg: { id: 'bundled:vase' }
    })
    expect(replies).toEqual([
      { type: 'reply', id: 3, ok: true, value: { id: 'bundled:vase', width: 1, height: 1, png: new Uint8Array([7]) } }
    ])
  })

  it('refuses a foreign page, a sub-frame of ours and a frame gone, without calling the service', async () => {
    const { ipcMain, listeners } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    vi.mocked(api.appInfo).mockClear()
    for (const from of [eventFrom('https://evil.example/'), eventFrom(STUDIO, {}), eventFrom(null)]) {
      const replies = await send(listeners, { type: 'request', id: 1, method: 'appInfo' }, from)
      expect(replies).toEqual([
        {
          type: 'reply',
          id: 1,
          ok: false,
          error: { code: 'forbidden', message: 'appInfo: refused a call from a page that is not the studio' }
        }
      ])
    }
    expect(api.appInfo).not.toHaveBeenCalled()
  })

  it('refuses a bad payload with a typed error instead of throwing', async () => {
    const { ipcMain, listeners } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    vi.mocked(api.getReferenceImage).mockClear()
    const replies = await send(listeners, {
      type: 'request',
      id: 2,
      method: 'getReferenceImage',
      arg: { id: { $gt: '' } }
    })
    expect(replies).toMatchObject([{ id: 2, ok: false, error: { code: 'invalid-input' } }])
    expect(api.getReferenceImage).not.toHaveBeenCalled()
  })

  it('answers any message at all with exactly one error reply unless it is a good request, and never throws', async () => {
    const { ipcMain, listeners } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    const message = fc.oneof(
      fc.anything(),
      fc.record({
        type: fc.constantFrom('request', 'reply'),
        id: fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 }), fc.string()),
        method: fc.oneof(fc.constantFrom('appInfo', 'nope', 'toString', '__proto__'), fc.anything()),
        arg: fc.anything()
      })
    )
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const replies = await send(listeners, m)
        expect(replies).toHaveLength(1)
        const good =
          typeof m === 'object' &&
          m !== null &&
          (m as { type?: unknown }).type === 'request' &&
          (m as { method?: unknown }).method === 'appInfo' &&
          Number.isInteger((m as { id?: unknown }).id) &&
          (m as { id: number }).id >= 0 &&
          (m as { arg?: unknown }).arg === undefined
        expect(replies[0]).toMatchObject(good ? { ok: true } : { ok: false, error: { code: 'invalid-input' } })
      }),
      { numRuns: 200 }
    )
  })

  it('says nothing to a page that closed meanwhile, and throws nothing', async () => {
    const { ipcMain, listeners } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    const gone = eventFrom(STUDIO, null, true)
    expect(() =>
      listeners.get(RPC_CHANNEL)![0](gone.event, { type: 'request', id: 1, method: 'appInfo' })
    ).not.toThrow()
    await new Promise((r) => setTimeout(r, 10))
    expect(gone.event.reply).not.toHaveBeenCalled()
  })
})
