// One WebSocket of the `ws` library (the host's end, or a Node client's) as a port of the
// request/reply layer: each message is one binary frame (src/shared/rpc/frame.ts). A text frame,
// or a binary one that does not decode, is handed on as an unreadable message, which the
// answering end answers with an error: nothing a peer sends can throw here.
import type { RawData, WebSocket } from 'ws'
import { decodeBoundedFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { NO_ID, type UnreadableMessage } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'

/** What the port tells the host's message budget (message-budget.ts) about memory in flight. */
export interface PortBudget {
  /** A whole message came in, `wireBytes` on the socket, that costs `cost` until it is answered. */
  message(cost: number, wireBytes: number): void
  /** Hand a message on now, or once the connection is within its budget again (in order). */
  whenReady(handOn: () => void): void
  /** A reply of this many bytes waits to be written to the socket. */
  hold(bytes: number): void
  /** This much is free again (a message answered and its reply written). */
  answered(cost: number): void
}

export interface SocketPortOptions {
  /** Called as each frame comes in, before it is decoded (for --trace). */
  onFrame?(): void
  /**
   * A frame whose body holds more values than this is refused without being decoded (the host's
   * end: what a peer's frame costs to decode is bounded by this). No limit by default.
   */
  maxItems?: number
  /**
   * Each message counted from its arrival until its reply is written to the socket: its bytes,
   * its decoded values at DECODED_VALUE_BYTES each, then its reply's bytes.
   */
  budget?: PortBudget
}

/** About what one decoded value (a number, a string, a small object...) takes in memory. */
export const DECODED_VALUE_BYTES = 64

export function socketPort(ws: WebSocket, options: SocketPortOptions = {}): RpcPort {
  const closeListeners: ((reason: string) => void)[] = []
  /** Frames sent before the socket opened (a client's first calls). */
  const queued: Uint8Array[] = []
  /** What each message waiting for its reply costs, by the id the reply will carry (ids may repeat). */
  const costs = new Map<number, number[]>()
  const { budget } = options
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

  /** The cost of the oldest message waiting for a reply with this id (0 if none). */
  function takeCost(id: number): number {
    const list = costs.get(id)
    const cost = list?.shift() ?? 0
    if (list?.length === 0) costs.delete(id)
    return cost
  }

  return {
    send(message) {
      const frame = encodeFrame(message) // throws (nothing sent) if the message cannot be encoded
      const cost = budget && message.type === 'reply' ? takeCost(message.id) + frame.byteLength : 0
      if (ws.readyState === ws.OPEN) {
        if (!budget) return ws.send(frame)
        budget.hold(frame.byteLength)
        // Written to the socket (or failed, the socket closing): the message and its reply are done.
        ws.send(frame, () => budget.answered(cost))
      } else if (ws.readyState === ws.CONNECTING) queued.push(frame)
      else if (budget) budget.answered(cost - frame.byteLength)
      // else closing or closed: lost, as the peer is; the close event reports it
    },
    onMessage(listener) {
      ws.on('message', (data, isBinary) => {
        options.onFrame?.()
        const bytes = bytesOf(data)
        const { message, items } = isBinary
          ? decodeBoundedFrame(bytes, options.maxItems ?? Infinity)
          : { message: textFrame(), items: 0 }
        if (!budget) return listener(message)
        const cost = bytes.byteLength + items * DECODED_VALUE_BYTES
        const list = costs.get(message.id)
        if (list) list.push(cost)
        else costs.set(message.id, [cost])
        budget.message(cost, wireBytes(bytes.byteLength))
        budget.whenReady(() => listener(message))
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

/** A client's WebSocket frame of this payload, as it came over the wire: header, mask, payload. */
function wireBytes(payload: number): number {
  return payload + 2 + 4 + (payload > 0xffff ? 8 : payload > 125 ? 2 : 0)
}

function textFrame(): UnreadableMessage {
  return { type: 'unreadable', id: NO_ID, problem: 'text frames are not part of the protocol: frames are binary' }
}

/** A plain Uint8Array over the message (ws gives a Buffer, or fragments to join). */
function bytesOf(data: RawData): Uint8Array {
  const buffer = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? Buffer.from(data) : data
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
