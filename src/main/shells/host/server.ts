import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { StudioApi } from '#shared/contract/api.ts'
import { serve } from '#shared/rpc/server.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { socketPort } from './socket-port.ts'
import { tracedPort, wallClock, type HostTiming } from './trace.ts'
import { CONTENT_SECURITY_POLICY, TOKEN_COOKIE, cookieValue, tokensEqual } from '#main/platform/security.ts'

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
}

export interface RunningHost {
  url: string
  port: number
  server: Server
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
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
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
  let port = 0

  const ownHost = (): string => `127.0.0.1:${port}`
  const ownOrigin = (): string => `http://${ownHost()}`

  function requestToken(req: IncomingMessage, url: URL): string | undefined {
    return url.searchParams.get('token') ?? cookieValue(req.headers.cookie, TOKEN_COOKIE)
  }

  function refuse(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' })
    res.end(message + '\n')
  }

  async function serveFile(res: ServerResponse, relative: string, setCookie: boolean): Promise<void> {
    const root = normalize(rendererDir + sep)
    const path = normalize(join(root, relative))
    if (!path.startsWith(root)) return refuse(res, 404, 'not found')
    const info = await stat(path).catch(() => null)
    if (!info?.isFile()) return refuse(res, 404, 'not found')
    const headers: Record<string, string> = {
      ...BASE_HEADERS,
      'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
      'Content-Length': String(info.size)
    }
    if (setCookie) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
    res.writeHead(200, headers)
    createReadStream(path).pipe(res)
  }

  const server = createServer((req, res) => {
    // Nothing about the request is trusted or parsed before the Host check, and every parse that
    // can throw (the target, its escapes) is a refusal, never an exception out of this handler.
    if (req.headers.host !== ownHost()) return refuse(res, 421, 'wrong host')
    const url = parseTarget(req.url, ownOrigin())
    if (!url) return refuse(res, 400, 'malformed request target')
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'only GET is served here')
    if (!tokensEqual(token, requestToken(req, url)))
      return refuse(res, 403, 'a valid token is required: open the URL the host printed')
    const isPage = url.pathname === '/' || url.pathname === '/index.html'
    const relative = isPage ? 'index.html' : decodePath(url.pathname)
    if (relative === null) return refuse(res, 400, 'malformed escape in the path')
    serveFile(res, relative, isPage).catch((err: unknown) => {
      console.error('[host] serving', url.pathname, err)
      if (!res.headersSent) refuse(res, 500, 'could not read the file')
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes })
  server.on('upgrade', (req, socket, head) => {
    const url = parseTarget(req.url, ownOrigin())
    const ok =
      url !== null &&
      url.pathname === '/api' &&
      req.headers.host === ownHost() &&
      req.headers.origin === ownOrigin() &&
      tokensEqual(token, requestToken(req, url))
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveApi(ws, api, options.trace))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `${ownOrigin()}/?token=${token}`,
    port,
    server,
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

/** Every binary frame on the socket is one request of the layer (src/shared/rpc), answered by dispatch(). */
function serveApi(ws: WebSocket, api: StudioApi, trace: ((timing: HostTiming) => void) | undefined): void {
  let received = 0
  const port = socketPort(ws, { onFrame: trace ? () => (received = wallClock()) : undefined })
  serve(trace ? tracedPort(port, trace, () => received) : port, (method, arg) => dispatch(api, method, arg))
}
