// The StudioApi over a running host's WebSocket, as the studio page uses it (same origin, token).
import WebSocket from 'ws'
import { API_METHODS, type StudioApi } from '#shared/contract/api.ts'
import { StudioError, type ErrorCode } from '#shared/contract/errors.ts'
import { decodeWire, encodeWire, type WireResponse } from '#shared/rpc/wire.ts'

export async function connectHostApi(origin: string, token: string): Promise<{ api: StudioApi; close(): void }> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${token}`, { headers: { Origin: origin } })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  ws.on('message', (data) => {
    const msg = decodeWire(data.toString()) as WireResponse
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.ok) p.resolve(msg.value)
    else p.reject(new StudioError(msg.error.code as ErrorCode, msg.error.message))
  })
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('the host closed the connection'))
    pending.clear()
  })
  let next = 1
  const call = (method: string, arg: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++
      pending.set(id, { resolve, reject })
      ws.send(encodeWire({ id, method, arg }))
    })
  const api = Object.fromEntries(API_METHODS.map((m) => [m, (arg?: unknown) => call(m, arg)])) as unknown as StudioApi
  return { api, close: () => ws.close() }
}
