import { describe, expect, it } from 'vitest'
import type { BridgePort, SightlineBridge } from '#shared/contract/bridge.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { RpcMessage } from '#shared/rpc/messages.ts'
import { answer, type RpcHandler } from '#shared/rpc/server.ts'
import { connectApi } from '#renderer/transport/api.ts'

/** The preload's port as the page sees it, with main's answering end behind it (structured clones both ways). */
function bridgeTo(handler: RpcHandler): { port: BridgePort; sent: RpcMessage[] } {
  const listeners: ((message: unknown) => void)[] = []
  const sent: RpcMessage[] = []
  const port: BridgePort = {
    send: (message) => {
      const copy = structuredClone(message)
      sent.push(copy)
      void answer(copy, handler).then((reply) => {
        for (const l of listeners) l(structuredClone(reply))
      })
    },
    onMessage: (listener) => {
      listeners.push(listener)
      return () => listeners.splice(listeners.indexOf(listener), 1)
    }
  }
  return { port, sent }
}

function windowWith(port: BridgePort): Window {
  const sightline: SightlineBridge = { rpc: port, onMenuCommand: () => () => {}, pathForFile: () => '' }
  return { sightline, location: { host: 'unused', search: '' } } as unknown as Window
}

describe('the Electron transport', () => {
  it('runs the StudioApi over the preload port: one request per call, values and bytes back, errors with their code', async () => {
    const { port, sent } = bridgeTo((method, arg) => {
      if (method === 'getReferenceImage')
        return { ok: true, value: { id: (arg as { id: string }).id, png: new Uint8Array([9, 8]) } }
      if (method === 'appInfo') return { ok: true, value: { name: 'Sightline Studio' } }
      return { ok: false, error: { code: 'not-found', message: `no ${String(method)} here` } }
    })
    const api = connectApi(windowWith(port))
    const [info, image] = await Promise.all([api.appInfo(), api.getReferenceImage({ id: 'bundled:cube' })])
    expect(info).toEqual({ name: 'Sightline Studio' })
    expect(image).toEqual({ id: 'bundled:cube', png: new Uint8Array([9, 8]) })
    expect((image as unknown as { png: unknown }).png).toBeInstanceOf(Uint8Array)
    await expect(api.undo({ attemptId: 'a' })).rejects.toEqual(new StudioError('not-found', 'no undo here'))
    expect(sent).toEqual([
      { type: 'request', id: 1, method: 'appInfo', arg: undefined },
      { type: 'request', id: 2, method: 'getReferenceImage', arg: { id: 'bundled:cube' } },
      { type: 'request', id: 3, method: 'undo', arg: { attemptId: 'a' } }
    ])
  })

  it('fails a call whose argument IPC cannot carry, at once and with a typed error', async () => {
    const { port } = bridgeTo(() => ({ ok: true, value: null }))
    const api = connectApi(windowWith(port))
    const call = api.undo({ attemptId: 'a', activeMs: (() => 1) as unknown as number })
    await expect(call).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('undo: the request could not be sent')
    })
  })
})
