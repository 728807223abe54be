import { API_METHODS, type ApiMethod, type StudioApi } from '#shared/contract/api.ts'
import { StudioError, isErrorInfo, type ErrorCode } from '#shared/contract/errors.ts'
import { MailboxReader, createMailboxMemory } from '#shared/rpc/reply-mailbox.ts'
import { decodeWire, encodeWire, type WireResponse } from '#shared/rpc/wire.ts'
import type { FromSocketWorker, ToSocketWorker } from './host-socket-protocol.ts'

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

/** A connection to the host: send text, and (worker only) look for replies already in. */
interface Channel {
  send(text: string): void
  /** The replies waiting in shared memory whose ids are wanted; null if this channel has none. */
  readonly take: ((wanted: (id: number) => boolean) => string[]) | null
  /** Let go of it (after it closed). */
  dispose(): void
}

interface ChannelEvents {
  open(): void
  reply(text: string): void
  /** The host could not be reached. */
  error(): void
  closed(): void
}

/** The socket on the page's own thread: every reply arrives as a task. */
function directChannel(url: string, WebSocketImpl: typeof WebSocket, events: ChannelEvents): Channel {
  const ws = new WebSocketImpl(url)
  ws.onopen = () => events.open()
  ws.onerror = () => events.error()
  ws.onclose = () => events.closed()
  ws.onmessage = (event: MessageEvent<string>) => events.reply(event.data)
  return { send: (text) => ws.send(text), take: null, dispose: () => {} }
}

/**
 * The socket in a worker (host-socket.worker.ts), which leaves each small reply in shared memory
 * too. `failed` is called if the worker itself cannot run (its script did not load).
 */
function workerChannel(url: string, worker: Worker, events: ChannelEvents, failed: () => void): Channel {
  const memory = createMailboxMemory()
  const reader = new MailboxReader(memory)
  worker.onmessage = (event: MessageEvent<FromSocketWorker>) => {
    const m = event.data
    if (m.kind === 'open') events.open()
    else if (m.kind === 'reply') events.reply(m.text)
    else if (m.kind === 'error') events.error()
    else events.closed()
  }
  worker.onerror = (event) => {
    event.preventDefault()
    failed()
  }
  const post = (m: ToSocketWorker): void => worker.postMessage(m)
  post({ kind: 'connect', url, mailbox: memory })
  return {
    send: (text) => post({ kind: 'send', text }),
    take: (wanted) => reader.take(wanted).map((r) => r.text),
    dispose: () => worker.terminate()
  }
}

export interface HostClientOptions {
  WebSocketImpl?: typeof WebSocket
  /**
   * Starts the socket worker, used when the page can share memory with it (it is
   * crossOriginIsolated: the host's COOP and COEP headers); otherwise the socket is the page's own.
   */
  startWorker?: () => Worker
  canShareMemory?: boolean
  /** Runs a callback at the start of the next animation frame. */
  nextFrame?: (callback: () => void) => void
}

/**
 * The StudioApi over the Node host's WebSocket. The token cookie set by the page load
 * authenticates the socket; the token in the page URL is passed too for browsers that
 * do not send the cookie on upgrade.
 *
 * A reply is taken whichever way brings it first: as a task, or, when the socket lives in a
 * worker, from shared memory at the start of an animation frame (looked at in every frame while a
 * call waits). From pen-up until the frame after it Chromium runs none of the page's tasks, so
 * only the second way lets the score change in the same frame as the ink.
 */
export function connectHost(location: Location, options: HostClientOptions = {}): StudioApi {
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket
  const nextFrame = options.nextFrame ?? ((callback: () => void) => requestAnimationFrame(() => callback()))
  let useWorker = options.startWorker !== undefined && options.canShareMemory === true
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const url = `ws://${location.host}/api?token=${encodeURIComponent(token)}`
  const pending = new Map<number, Pending>()
  let nextId = 1
  /** The connection being made or in use; `channel` once it is open. */
  let live: Channel | null = null
  let channel: Channel | null = null
  let opening: Promise<Channel> | null = null
  let frameRequested = false

  function fail(message: string): void {
    for (const p of pending.values()) p.reject(new StudioError('internal', message))
    pending.clear()
    live?.dispose()
    live = null
    channel = null
    opening = null
  }

  function deliver(text: string): void {
    const msg = decodeWire(text) as WireResponse
    const p = pending.get(msg.id)
    if (!p) return // taken the other way already, or not an answer to a call
    pending.delete(msg.id)
    if (msg.ok) p.resolve(msg.value)
    else
      p.reject(
        isErrorInfo(msg.error)
          ? new StudioError(msg.error.code as ErrorCode, msg.error.message)
          : new StudioError('internal', 'malformed reply')
      )
  }

  /** While calls wait: at the start of each frame, take the replies that are already in. */
  function watchFrames(): void {
    if (frameRequested || !channel?.take || pending.size === 0) return
    frameRequested = true
    nextFrame(() => {
      frameRequested = false
      try {
        const take = channel?.take
        if (take) for (const text of take((id) => pending.has(id))) deliver(text)
      } finally {
        watchFrames()
      }
    })
  }

  function open(): Promise<Channel> {
    opening ??= new Promise<Channel>((resolve, reject) => {
      /** Events of one connection; those of a connection given up on are ignored. */
      const eventsOf = (mine: () => Channel | null): ChannelEvents => ({
        open: () => {
          if (live !== mine()) return
          channel = live
          resolve(live as Channel)
        },
        reply: (text) => {
          if (live === mine()) deliver(text)
        },
        error: () => {
          if (live !== mine() || channel) return // once open, the close that follows says it
          const message = 'cannot reach the Sightline host; is `npm run web` still running?'
          reject(new StudioError('internal', message))
          fail(message)
        },
        closed: () => {
          if (live === mine())
            fail('the connection to the Sightline host closed; reload the page once the host runs again')
        }
      })
      const direct = (): Channel => {
        let made: Channel | null = null
        made = directChannel(
          url,
          WebSocketImpl,
          eventsOf(() => made)
        )
        return made
      }
      let worker: Worker | null = null
      try {
        if (useWorker && options.startWorker) worker = options.startWorker()
      } catch {
        useWorker = false // refused (e.g. by a policy): the page's own socket does everything
      }
      if (worker) {
        let made: Channel | null = null
        made = workerChannel(
          url,
          worker,
          eventsOf(() => made),
          () => {
            if (live !== made) return
            if (channel) return fail('the connection to the Sightline host stopped; reload the page')
            // The worker could not start: the page's own socket does everything, as it always could.
            useWorker = false
            made?.dispose()
            live = direct()
          }
        )
        live = made
      } else live = direct()
    }).catch((err: unknown) => {
      opening = null
      throw err
    })
    return opening
  }

  function send(ch: Channel, method: ApiMethod, arg: unknown): Promise<unknown> {
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      ch.send(encodeWire({ id, method, arg }))
      watchFrames()
    })
  }

  function call(method: ApiMethod, arg: unknown): Promise<unknown> {
    // Once connected, send at once (no await first): a stroke goes out before the page re-renders.
    if (channel) return send(channel, method, arg)
    return open().then((ch) => send(ch, method, arg))
  }

  return Object.fromEntries(API_METHODS.map((m) => [m, (arg?: unknown) => call(m, arg)])) as unknown as StudioApi
}
