// The StudioApi over the Node host's WebSocket: the request/reply layer's client
// (src/shared/rpc) over a port to the host, opened at the first call and again after a lost
// connection. The port is the socket worker with its reply mailbox when the page may share
// memory with it (worker-socket-port.ts), else the page's own socket (socket-port.ts).
import type { StudioApi } from '#shared/contract/api.ts'
import { RpcClient } from '#shared/rpc/client.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
import { studioApiOver } from '#shared/rpc/studio-api.ts'
import { webSocketPort, type ConnectionReasons } from './socket-port.ts'
import { workerSocketPort } from './worker-socket-port.ts'

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

const REASONS: ConnectionReasons = {
  unreachable: 'cannot reach the Sightline host; is `npm run web` still running?',
  lost: 'the connection to the Sightline host closed; reload the page once the host runs again'
}

/**
 * The token cookie set by the page load authenticates the socket; the token in the page URL is
 * passed too for browsers that do not send the cookie on upgrade. A call is sent at once (no
 * await first), so a stroke goes out before the page re-renders.
 */
export function connectHost(location: Location, options: HostClientOptions = {}): StudioApi {
  const WebSocketImpl = options.WebSocketImpl ?? WebSocket
  const nextFrame = options.nextFrame ?? ((callback: () => void) => requestAnimationFrame(() => callback()))
  let useWorker = options.startWorker !== undefined && options.canShareMemory === true
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const url = `ws://${location.host}/api?token=${encodeURIComponent(token)}`

  const direct = (): RpcPort => webSocketPort(url, WebSocketImpl, REASONS)
  function connect(): RpcPort {
    let worker: Worker | null = null
    try {
      if (useWorker && options.startWorker) worker = options.startWorker()
    } catch {
      useWorker = false // refused (e.g. by a policy): the page's own socket does everything
    }
    if (!worker) return direct()
    return workerSocketPort(url, worker, {
      reasons: REASONS,
      nextFrame,
      fallback: () => {
        useWorker = false // the worker's script did not load: it would not the next time either
        return direct()
      }
    })
  }
  return studioApiOver(new RpcClient({ connect }))
}
