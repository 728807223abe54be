// The optional fast path of the host transport: the WebSocket lives in a worker
// (host-socket.worker.ts) that also leaves each small reply in shared memory
// (src/shared/rpc/reply-mailbox.ts). From pen-up until the frame after it Chromium runs none of
// the page's tasks, replies from the worker included; this port therefore also looks in the
// mailbox at the start of every animation frame while a request waits, and takes its reply there,
// so the score can change in the same frame as the ink. Whichever way a reply comes first is
// passed on; the other copy is dropped.
//
// If the worker cannot run (its script did not load) before it connected, the port carries on
// over `fallback()` (the page's own socket), with the messages sent so far.
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { NO_ID, type RpcMessage } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
import { MailboxReader, createMailboxMemory } from '#shared/rpc/reply-mailbox.ts'
import type { FromSocketWorker, ToSocketWorker } from './host-socket-protocol.ts'
import type { ConnectionReasons } from './socket-port.ts'

export interface WorkerSocketOptions {
  reasons: ConnectionReasons
  /** Runs a callback at the start of the next animation frame. */
  nextFrame(callback: () => void): void
  /** The port to carry on over when the worker fails before it connected. */
  fallback(): RpcPort
}

/** What the worker became after it failed at start, or that it stopped for good. */
type State = 'connecting' | 'open' | { fallback: RpcPort } | 'ended'

export function workerSocketPort(url: string, worker: Worker, options: WorkerSocketOptions): RpcPort {
  const memory = createMailboxMemory()
  const reader = new MailboxReader(memory)
  const listeners: ((message: unknown) => void)[] = []
  const closeListeners: ((reason: string) => void)[] = []
  /** Requests sent and not answered yet: the replies to look for, and to pass on once. */
  const outstanding = new Set<number>()
  /** Messages sent before the worker's socket opened (kept whole, in case of the fallback). */
  const queued: { message: RpcMessage; frame: Uint8Array<ArrayBuffer> }[] = []
  let state: State = 'connecting'
  let frameRequested = false

  const post = (m: ToSocketWorker, transfer: Transferable[] = []): void => worker.postMessage(m, transfer)
  const emit = (message: unknown): void => {
    for (const l of listeners) l(message)
  }

  function end(reason: string): void {
    if (state === 'ended') return
    state = 'ended'
    queued.length = 0
    outstanding.clear()
    worker.terminate()
    for (const l of closeListeners.splice(0)) l(reason)
  }

  function transmit(message: RpcMessage, frame: Uint8Array<ArrayBuffer>): void {
    if (message.type === 'request' && message.id !== NO_ID) outstanding.add(message.id)
    post({ kind: 'send', bytes: frame }, [frame.buffer])
    watchFrames()
  }

  /** A reply frame, from the worker's message or from the mailbox: passed on the first time only. */
  function take(frame: Uint8Array): void {
    const message = decodeFrame(frame)
    if (message.type !== 'reply' || !outstanding.delete(message.id)) return
    emit(message)
  }

  /** While requests wait: at the start of each frame, take the replies that are already in. */
  function watchFrames(): void {
    if (frameRequested || state !== 'open' || outstanding.size === 0) return
    frameRequested = true
    options.nextFrame(() => {
      frameRequested = false
      try {
        if (state === 'open') for (const r of reader.take((id) => outstanding.has(id))) take(r.frame)
      } finally {
        watchFrames()
      }
    })
  }

  function fallBack(): void {
    worker.terminate()
    const port = options.fallback()
    state = { fallback: port }
    port.onMessage(emit)
    port.onClose((reason) => {
      state = 'ended'
      for (const l of closeListeners.splice(0)) l(reason)
    })
    for (const q of queued.splice(0)) port.send(q.message)
  }

  worker.onmessage = (event: MessageEvent<FromSocketWorker>) => {
    const m = event.data
    if (m.kind === 'open') {
      if (state !== 'connecting') return
      state = 'open'
      for (const q of queued.splice(0)) transmit(q.message, q.frame)
    } else if (m.kind === 'reply') {
      if (state === 'open') take(m.bytes)
    } else if (m.kind === 'error') {
      if (state === 'connecting') end(options.reasons.unreachable) // once open, the close that follows says it
    } else if (state === 'open' || state === 'connecting') {
      end(state === 'open' ? options.reasons.lost : options.reasons.unreachable)
    }
  }
  worker.onerror = (event) => {
    event.preventDefault()
    if (state === 'connecting') fallBack()
    else if (state === 'open') end('the connection to the Sightline host stopped; reload the page')
  }
  post({ kind: 'connect', url, mailbox: memory })

  return {
    send(message) {
      if (typeof state === 'object') return state.fallback.send(message)
      const frame = encodeFrame(message) // throws (nothing sent) if it cannot be encoded
      if (state === 'open') transmit(message, frame)
      else if (state === 'connecting') queued.push({ message, frame })
    },
    onMessage: (listener) => void listeners.push(listener),
    onClose: (listener) => void closeListeners.push(listener),
    close: async () => {
      if (typeof state === 'object') return state.fallback.close()
      end('closed')
    }
  }
}
