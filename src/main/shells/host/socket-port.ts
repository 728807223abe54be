// One WebSocket of the `ws` library (the host's end, or a Node client's) as a port of the
// request/reply layer: each message is one binary frame (src/shared/rpc/frame.ts). A text frame,
// or a binary one that does not decode, is handed on as an unreadable message, which the
// answering end answers with an error: nothing a peer sends can throw here.
import type { RawData, WebSocket } from 'ws'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { NO_ID, type UnreadableMessage } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'

export interface SocketPortOptions {
  /** Called as each frame comes in, before it is decoded (for --trace). */
  onFrame?(): void
}

export function socketPort(ws: WebSocket, options: SocketPortOptions = {}): RpcPort {
  const closeListeners: ((reason: string) => void)[] = []
  /** Frames sent before the socket opened (a client's first calls). */
  const queued: Uint8Array[] = []
  let closed = false
  let opened = ws.readyState === ws.OPEN

  // ws closes the socket itself on protocol errors (e.g. a message over maxPayload); without a
  // listener the 'error' event would take the whole process down. The 'close' that follows says it.
  ws.on('error', (err) => console.warn('[host] a WebSocket failed:', err.message))
  ws.on('open', () => {
    opened = true
    for (const frame of queued.splice(0)) ws.send(frame)
  })
  ws.on('close', (code) => {
    if (closed) return
    closed = true
    const reason = opened ? `the connection closed (code ${code})` : 'the connection could not be opened'
    for (const l of closeListeners.splice(0)) l(reason)
  })

  return {
    send(message) {
      const frame = encodeFrame(message) // throws (nothing sent) if the message cannot be encoded
      if (ws.readyState === ws.OPEN) ws.send(frame)
      else if (ws.readyState === ws.CONNECTING) queued.push(frame)
      // else closing or closed: lost, as the peer is; the close event reports it
    },
    onMessage(listener) {
      ws.on('message', (data, isBinary) => {
        options.onFrame?.()
        listener(isBinary ? decodeFrame(bytesOf(data)) : textFrame())
      })
    },
    onClose: (listener) => void closeListeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve()
        ws.once('close', () => resolve())
        ws.close()
      })
  }
}

function textFrame(): UnreadableMessage {
  return { type: 'unreadable', id: NO_ID, problem: 'text frames are not part of the protocol: frames are binary' }
}

/** A plain Uint8Array over the message (ws gives a Buffer, or fragments to join). */
function bytesOf(data: RawData): Uint8Array {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
