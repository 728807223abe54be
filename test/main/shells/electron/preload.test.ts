// The preload and main's IPC binding joined through a fake of Electron's IPC: the page's calls go
// through window.sightline.rpc on the one channel, are validated in main, and come back as values
// or errors with their code.
import type { IpcMain } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import type { StudioApi } from '#shared/contract/api.ts'
import { RPC_CHANNEL, type SightlineBridge } from '#shared/contract/bridge.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { RpcClient } from '#shared/rpc/client.ts'
import { studioApiOver } from '#shared/rpc/studio-api.ts'
import { registerIpc, studioSenderCheck } from '#main/shells/electron/ipc.ts'

const STUDIO = 'file:///app/out/renderer/index.html'

const electron = vi.hoisted(() => {
  type Listener = (event: unknown, message: unknown) => void
  const toMain = new Map<string, Listener[]>()
  const toPage = new Map<string, Listener[]>()
  const add = (map: Map<string, Listener[]>, channel: string, l: Listener) =>
    map.set(channel, [...(map.get(channel) ?? []), l])
  const remove = (map: Map<string, Listener[]>, channel: string, l: Listener) =>
    map.set(
      channel,
      (map.get(channel) ?? []).filter((x) => x !== l)
    )
  const exposed: Record<string, unknown> = {}
  let frameUrl = 'file:///app/out/renderer/index.html'
  const pageEvent = { sender: 'the preload must not pass this on' }
  return {
    exposed,
    toPage,
    setFrameUrl: (url: string) => (frameUrl = url),
    ipcMain: {
      on: (channel: string, l: Listener) => add(toMain, channel, l),
      removeListener: (channel: string, l: Listener) => remove(toMain, channel, l)
    },
    ipcRenderer: {
      // Structured clones both ways, as Electron's IPC makes them.
      send: (channel: string, message: unknown) => {
        const copy = structuredClone(message)
        const event = {
          senderFrame: { url: frameUrl, parent: null },
          sender: { isDestroyed: () => false },
          reply: (ch: string, reply: unknown) => {
            for (const l of toPage.get(ch) ?? []) l(pageEvent, structuredClone(reply))
          }
        }
        for (const l of toMain.get(channel) ?? []) l(event, copy)
      },
      on: (channel: string, l: Listener) => add(toPage, channel, l),
      removeListener: (channel: string, l: Listener) => remove(toPage, channel, l)
    },
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    webUtils: { getPathForFile: () => '' }
  }
})
vi.mock('electron', () => electron)

const api = {
  appInfo: async () => ({
    name: 'Sightline Studio',
    version: '0.1.0',
    shell: 'electron',
    frame: { width: 500, height: 500 }
  }),
  getReferenceImage: async ({ id }: { id: string }) => {
    if (id !== 'bundled:cube') throw new StudioError('not-found', `no reference ${id}`)
    return { id, width: 1, height: 1, png: new Uint8Array([1, 2, 3]) }
  }
} as unknown as StudioApi

describe('the preload and the IPC binding together', () => {
  it('carries the StudioApi on one channel: values, bytes, validation and typed errors', async () => {
    await import('#preload/index.ts')
    const bridge = electron.exposed.sightline as SightlineBridge
    registerIpc(
      electron.ipcMain as unknown as IpcMain,
      api,
      studioSenderCheck((url) => url === STUDIO)
    )
    const seen: unknown[] = []
    const studio = studioApiOver(
      new RpcClient({
        connect: () => ({
          send: (m) => bridge.rpc.send(m),
          onMessage: (listener) =>
            void bridge.rpc.onMessage((m) => {
              seen.push(m)
              listener(m)
            }),
          onClose: () => {},
          close: async () => {}
        })
      })
    )
    expect(await studio.appInfo()).toMatchObject({ name: 'Sightline Studio' })
    const image = await studio.getReferenceImage({ id: 'bundled:cube' })
    expect(image.png).toEqual(new Uint8Array([1, 2, 3]))
    await expect(studio.getReferenceImage({ id: 'bundled:vase' })).rejects.toEqual(
      new StudioError('not-found', 'no reference bundled:vase')
    )
    await expect(studio.getReferenceImage({ id: 'NOT AN ID' })).rejects.toMatchObject({ code: 'invalid-input' })
    // The page's listener gets the reply alone, never Electron's event object.
    expect(seen.every((m) => typeof m === 'object' && m !== null && (m as { type: string }).type === 'reply')).toBe(
      true
    )

    electron.setFrameUrl('https://evil.example/')
    await expect(studio.appInfo()).rejects.toMatchObject({ code: 'forbidden' })
    electron.setFrameUrl(STUDIO)

    // Unsubscribing removes the preload's listener from the channel.
    const stop = bridge.rpc.onMessage(() => {})
    const before = electron.toPage.get(RPC_CHANNEL)!.length
    stop()
    expect(electron.toPage.get(RPC_CHANNEL)!.length).toBe(before - 1)
  })
})
