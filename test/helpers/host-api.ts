// The StudioApi over a running host's WebSocket, as the studio page uses it (same origin, token,
// binary frames), through the same request/reply layer.
import WebSocket from 'ws'
import type { StudioApi } from '#shared/contract/api.ts'
import { RpcClient } from '#shared/rpc/client.ts'
import { studioApiOver } from '#shared/rpc/studio-api.ts'
import { socketPort } from '#main/shells/host/socket-port.ts'

export async function connectHostApi(origin: string, token: string): Promise<{ api: StudioApi; close(): void }> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?token=${token}`, { headers: { Origin: origin } })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  const port = socketPort(ws)
  let used = false
  const client = new RpcClient({
    // One socket, as the page has: once it has closed, calls fail rather than reconnect.
    connect: () => {
      if (used) throw new Error('the host closed the connection')
      used = true
      return port
    }
  })
  return { api: studioApiOver(client), close: () => void client.close(new Error('closed')) }
}
