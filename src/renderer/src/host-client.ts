import { API_METHODS, type ApiMethod, type StudioApi } from '../../shared/api.ts'
import { StudioError, isErrorInfo, type ErrorCode } from '../../shared/errors.ts'
import { decodeWire, encodeWire, type WireResponse } from '../../shared/wire.ts'

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

/**
 * The StudioApi over the Node host's WebSocket. The token cookie set by the page load
 * authenticates the socket; the token in the page URL is passed too for browsers that
 * do not send the cookie on upgrade.
 */
export function connectHost(location: Location, WebSocketImpl: typeof WebSocket = WebSocket): StudioApi {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const url = `ws://${location.host}/api?token=${encodeURIComponent(token)}`
  const pending = new Map<number, Pending>()
  let nextId = 1
  let socket: WebSocket | null = null
  let opening: Promise<WebSocket> | null = null

  function fail(message: string): void {
    for (const p of pending.values()) p.reject(new StudioError('internal', message))
    pending.clear()
    socket = null
    opening = null
  }

  function open(): Promise<WebSocket> {
    if (socket?.readyState === WebSocketImpl.OPEN) return Promise.resolve(socket)
    opening ??= new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocketImpl(url)
      ws.onopen = () => {
        socket = ws
        resolve(ws)
      }
      ws.onerror = () => reject(new StudioError('internal', 'cannot reach the Sightline host; is `npm run web` still running?'))
      ws.onclose = () => fail('the connection to the Sightline host closed; reload the page once the host runs again')
      ws.onmessage = (event: MessageEvent<string>) => {
        const msg = decodeWire(event.data) as WireResponse
        const p = pending.get(msg.id)
        if (!p) return
        pending.delete(msg.id)
        if (msg.ok) p.resolve(msg.value)
        else p.reject(isErrorInfo(msg.error) ? new StudioError(msg.error.code as ErrorCode, msg.error.message) : new StudioError('internal', 'malformed reply'))
      }
    }).catch((err: unknown) => {
      opening = null
      throw err
    })
    return opening
  }

  function send(ws: WebSocket, method: ApiMethod, arg: unknown): Promise<unknown> {
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      ws.send(encodeWire({ id, method, arg }))
    })
  }

  function call(method: ApiMethod, arg: unknown): Promise<unknown> {
    // Once connected, send at once (no await first): a stroke goes out before the page re-renders.
    if (socket?.readyState === WebSocketImpl.OPEN) return send(socket, method, arg)
    return open().then((ws) => send(ws, method, arg))
  }

  return Object.fromEntries(API_METHODS.map((m) => [m, (arg?: unknown) => call(m, arg)])) as unknown as StudioApi
}
