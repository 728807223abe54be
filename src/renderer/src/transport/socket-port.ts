// The host's WebSocket on the page's own thread, as a port of the request/reply layer: binary
// frames (src/shared/rpc/frame.ts) both ways. Messages sent while it connects wait for it.
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import type { RpcPort } from '#shared/rpc/port.ts'

/** What a closed connection means to the user, before and after it opened. */
export interface ConnectionReasons {
  unreachable: string
  lost: string
}

export function webSocketPort(url: string, WebSocketImpl: typeof WebSocket, reasons: ConnectionReasons): RpcPort {
  const ws = new WebSocketImpl(url)
  ws.binaryType = 'arraybuffer'
  const listeners: ((message: unknown) => void)[] = []
  const closeListeners: ((reason: string) => void)[] = []
  const queued: Uint8Array<ArrayBuffer>[] = []
  let opened = false
  let ended = false

  function end(reason: string): void {
    if (ended) return
    ended = true
    queued.length = 0
    for (const l of closeListeners.splice(0)) l(reason)
  }

  ws.onopen = () => {
    opened = true
    for (const frame of queued.splice(0)) ws.send(frame)
  }
  ws.onerror = () => {
    if (!opened) end(reasons.unreachable) // once open, the close that follows says it
  }
  ws.onclose = () => end(opened ? reasons.lost : reasons.unreachable)
  ws.onmessage = (event: MessageEvent<unknown>) => {
    if (!(event.data instanceof ArrayBuffer)) return // the host sends binary frames only
    const message = decodeFrame(new Uint8Array(event.data))
    for (const l of listeners) l(message)
  }

  return {
    send(message) {
      const frame = encodeFrame(message) // throws (nothing sent) if it cannot be encoded
      if (ended) return
      if (opened) ws.send(frame)
      else queued.push(frame)
    },
    onMessage: (listener) => void listeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
    close: async () => {
      end('closed')
      ws.close()
    }
  }
}
