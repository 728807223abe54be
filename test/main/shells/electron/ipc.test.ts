import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { API_METHODS, type StudioApi } from '#shared/contract/api.ts'
import { channelOf, registerIpc, studioSenderCheck } from '#main/shells/electron/ipc.ts'

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>

function fakeIpcMain(): { ipcMain: IpcMain; handlers: Map<string, Handler> } {
  const handlers = new Map<string, Handler>()
  const ipcMain = {
    handle: vi.fn((channel: string, fn: Handler) => handlers.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel))
  } as unknown as IpcMain
  return { ipcMain, handlers }
}

const STUDIO = 'file:///app/out/renderer/index.html'
function eventFrom(url: string, parent: object | null = null): IpcMainInvokeEvent {
  return { senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent
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

describe('IPC binding', () => {
  it('registers one handler per API method and removes them all', () => {
    const { ipcMain, handlers } = fakeIpcMain()
    const unregister = registerIpc(ipcMain, api, check)
    expect([...handlers.keys()].sort()).toEqual(API_METHODS.map(channelOf).sort())
    unregister()
    expect(handlers.size).toBe(0)
  })

  it('answers the studio page', async () => {
    const { ipcMain, handlers } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    const reply = await handlers.get(channelOf('getReferenceImage'))!(eventFrom(STUDIO), { id: 'bundled:vase' })
    expect(reply).toEqual({ ok: true, value: { id: 'bundled:vase', width: 1, height: 1, png: new Uint8Array([7]) } })
  })

  it('refuses a foreign page and a sub-frame of ours without calling the service', async () => {
    const { ipcMain, handlers } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    vi.mocked(api.appInfo).mockClear()
    for (const event of [
      eventFrom('https://evil.example/'),
      eventFrom(STUDIO, {}),
      { senderFrame: null } as unknown as IpcMainInvokeEvent
    ]) {
      const reply = await handlers.get(channelOf('appInfo'))!(event, undefined)
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    }
    expect(api.appInfo).not.toHaveBeenCalled()
  })

  it('refuses a bad payload with a typed error instead of throwing', async () => {
    const { ipcMain, handlers } = fakeIpcMain()
    registerIpc(ipcMain, api, check)
    vi.mocked(api.getReferenceImage).mockClear()
    const reply = await handlers.get(channelOf('getReferenceImage'))!(eventFrom(STUDIO), { id: { $gt: '' } })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    expect(api.getReferenceImage).not.toHaveBeenCalled()
  })
})
