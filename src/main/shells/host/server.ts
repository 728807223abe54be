import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { StudioApi } from '#shared/contract/api.ts'
import { serve } from '#shared/rpc/server.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { MessageBudget } from './message-budget.ts'
import { socketPort, type PortBudget } from './socket-port.ts'
import { tracedPort, wallClock, type HostTiming } from './trace.ts'
import { TOKEN_COOKIE, cookieValue, hostContentSecurityPolicy, tokensEqual } from '#main/platform/security.ts'

export interface HostOptions {
  api: StudioApi
  /** The built renderer (index.html and assets). */
  rendererDir: string
  token: string
  /** 0 picks a free port. */
  port?: number
  /** Largest WebSocket message accepted, in bytes. */
  maxMessageBytes?: number
  /** Told when each API call was received, decoded, answered and its reply sent (`--trace`). */
  trace?: (timing: HostTiming) => void
  /** The host's resource limits; each has a default (HOST_LIMITS). */
  limits?: Partial<HostLimits>
}

export interface HostLimits {
  /** Open TCP connections at most; more are closed as they come. */
  maxConnections: number
  /** API sockets (pages) open at once at most; more are refused (503). */
  maxSockets: number
  /** A connection that has not shown the token this long after it opened is closed. */
  idleMs: number
  /** Values (msgpack-items.ts) in one request at most: a 20,000-point stroke is 260,001. */
  maxItems: number
  /** The message budget (message-budget.ts): per connection without a slot. */
  freeBytes: number
  /** Connections that may have a large message (an upload) in flight at once. */
  largeSlots: number
  /** Requests of one socket being answered at once; more wait their turn (unread). */
  maxPending: number
}

export const HOST_LIMITS: HostLimits = {
  maxConnections: 64,
  maxSockets: 8,
  idleMs: 5_000,
  maxItems: 300_000,
  freeBytes: 24 * 1024 * 1024,
  largeSlots: 1,
  maxPending: 16
}

export interface RunningHost {
  url: string
  port: number
  server: Server
  /** Memory for API messages in flight (for tests and `npm run fuzz`). */
  budget: MessageBudget
  close(): Promise<void>
}

// Largest API message: an uploaded reference (at most 100 MB) as bytes in one frame, with room to spare.
export const DEFAULT_MAX_MESSAGE_BYTES = 110 * 1024 * 1024

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon'
}

const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // With COOP, makes the page cross-origin isolated: it may share memory with its socket worker.
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store'
}

/**
 * The Node host: the built studio and its API on 127.0.0.1 only. Every request must carry the
 * per-run token (query on the first page load, then an HttpOnly cookie), name our own Host
 * (against DNS rebinding), and the WebSocket must come from our own Origin.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { api, rendererDir, token } = options
  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES
  const limits: HostLimits = { ...HOST_LIMITS, ...options.limits }
  let port = 0

  const ownHost = (): string => `127.0.0.1:${port}`
  const ownOrigin = (): string => `http://${ownHost()}`
  /** Every response's headers; its policy names this host's own port (known once listening). */
  const baseHeaders = (): Record<string, string> => ({
    ...BASE_HEADERS,
    'Content-Security-Policy': hostContentSecurityPolicy(port)
  })

  function requestToken(req: IncomingMessage, url: URL): string | undefined {
    return url.searchParams.get('token') ?? cookieValue(req.headers.cookie, TOKEN_COOKIE)
  }

  /** A refusal ends the connection too: nothing more is expected from whoever was refused. */
  function refuse(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' })
    res.end(message + '\n')
  }

  async function serveFile(res: ServerResponse, relative: string, setCookie: boolean): Promise<void> {
    const root = normalize(rendererDir + sep)
    const path = normalize(join(root, relative))
    if (!path.startsWith(root)) return refuse(res, 404, 'not found')
    // Opened first, then looked at: what is served is what was checked, and a name that is not
    // there (or is a link) is a 404.
    const file = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => null)
    if (!file) return refuse(res, 404, 'not found')
    let handedOver = false
    try {
      const info = await file.stat()
      if (!info.isFile()) return refuse(res, 404, 'not found')
      if (res.destroyed) return // the client left meanwhile
      const headers: Record<string, string> = {
        ...baseHeaders(),
        'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
        'Content-Length': String(info.size)
      }
      if (setCookie) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
      const stream = file.createReadStream() // closes the file when it ends or is destroyed
      handedOver = true
      // A read failing half-way ends this response only; a client leaving ends the read.
      stream.on('error', () => res.destroy())
      res.on('close', () => stream.destroy())
      res.writeHead(200, headers)
      stream.pipe(res)
    } finally {
      if (!handedOver) await file.close().catch(() => undefined)
    }
  }

  /** Connections that have shown the token: the only ones left open past limits.idleMs. */
  const trusted = new WeakSet<Socket>()
  const server = createServer(
    {
      // Slow or silent clients cannot hold a connection: the headers within a few seconds.
      headersTimeout: limits.idleMs,
      requestTimeout: 2 * limits.idleMs,
      keepAliveTimeout: limits.idleMs,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, limits.idleMs / 2))
    },
    (req, res) => {
      // Nothing about the request is trusted or parsed before the Host check, and every parse that
      // can throw (the target, its escapes) is a refusal, never an exception out of this handler.
      if (req.headers.host !== ownHost()) return refuse(res, 421, 'wrong host')
      const url = parseTarget(req.url, ownOrigin())
      if (!url) return refuse(res, 400, 'malformed request target')
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET is served here')
      if (!tokensEqual(token, requestToken(req, url)))
        return refuse(res, 403, 'a valid token is required: open the URL the host printed')
      trusted.add(req.socket)
      serveRequest(res, url)
    }
  )
  server.maxConnections = limits.maxConnections
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      if (!trusted.has(socket)) socket.destroy()
    }, limits.idleMs)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
  })

  function serveRequest(res: ServerResponse, url: URL): void {
    const isPage = url.pathname === '/' || url.pathname === '/index.html'
    const relative = isPage ? 'index.html' : decodePath(url.pathname)
    if (relative === null) return refuse(res, 400, 'malformed escape in the path')
    serveFile(res, relative, isPage).catch((err: unknown) => {
      console.error('[host] serving', url.pathname, err)
      if (!res.headersSent) refuse(res, 500, 'could not read the file')
      else res.destroy()
    })
  }

  const budget = new MessageBudget({
    freeBytes: limits.freeBytes,
    slotBytes: maxMessageBytes + limits.freeBytes,
    slots: limits.largeSlots,
    maxPending: limits.maxPending
  })
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes })
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    // Node hands the socket over without its error listener: a peer resetting it now must not
    // become an uncaught 'error'. (ws adds its own once it takes the socket.)
    socket.on('error', () => socket.destroy())
    const url = parseTarget(req.url, ownOrigin())
    const ok =
      url !== null &&
      url.pathname === '/api' &&
      req.headers.host === ownHost() &&
      req.headers.origin === ownOrigin() &&
      tokensEqual(token, requestToken(req, url))
    if (!ok) return refuseUpgrade(socket, '403 Forbidden')
    if (wss.clients.size >= limits.maxSockets) return refuseUpgrade(socket, '503 Service Unavailable')
    trusted.add(socket)
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = budget.open({ pause: () => ws.pause(), resume: () => ws.resume() })
      // Bytes of a message still arriving count from the first one: this listener goes before
      // ws's, so a chunk is counted before the messages ws completes from it are taken off.
      // (ws puts `head` back into the socket: it comes through here too.)
      socket.prependListener('data', (chunk: Buffer) => connection.received(chunk.length))
      ws.once('close', () => connection.closed())
      serveApi(ws, api, { trace: options.trace, maxItems: limits.maxItems, budget: connection })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  // Once listening, a failure to accept (out of file descriptors) is logged, not fatal.
  server.on('error', (err) => console.warn('[host] the server failed:', err.message))
  port = (server.address() as AddressInfo).port
  return {
    url: `${ownOrigin()}/?token=${token}`,
    port,
    server,
    budget,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The request target as a URL on our origin, or null when it does not parse. */
export function parseTarget(target: string | undefined, origin: string): URL | null {
  if (!URL.canParse(target ?? '/', origin)) return null
  return new URL(target ?? '/', origin)
}

/** A path with its %-escapes decoded, or null for a malformed escape. */
function decodePath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname)
  } catch {
    return null
  }
}

function refuseUpgrade(socket: Socket, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
  socket.destroySoon()
}

interface ApiOptions {
  trace: ((timing: HostTiming) => void) | undefined
  maxItems: number
  budget: PortBudget
}

/** Every binary frame on the socket is one request of the layer (src/shared/rpc), answered by dispatch(). */
function serveApi(ws: WebSocket, api: StudioApi, { trace, maxItems, budget }: ApiOptions): void {
  let received = 0
  const port = socketPort(ws, { onFrame: trace ? () => (received = wallClock()) : undefined, maxItems, budget })
  serve(trace ? tracedPort(port, trace, () => received) : port, (method, arg) => dispatch(api, method, arg))
}
