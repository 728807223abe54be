// The StudioApi as calls through the request/reply layer: one function per method of the
// contract, each a client.call. Every transport of the studio (Electron IPC, the host's
// WebSocket, the tests' socket) builds its API with this.
import { API_METHODS, type StudioApi } from '../contract/api.ts'
import type { RpcClient } from './client.ts'

export function studioApiOver(client: RpcClient): StudioApi {
  return Object.fromEntries(
    API_METHODS.map((method) => [method, (arg?: unknown) => client.call(method, arg)])
  ) as unknown as StudioApi
}
