// The Electron preload's end of the IPC channel (window.sightline.rpc) as a port of the
// request/reply layer. Messages are structured clones, bytes included; main answers each request
// once. The channel lives as long as the page, so it never closes on its own.
import type { BridgePort } from '#shared/contract/bridge.ts'
import type { RpcPort } from '#shared/rpc/port.ts'

export function bridgePort(bridge: BridgePort): RpcPort {
  const stops: (() => void)[] = []
  return {
    send: (message) => bridge.send(message),
    onMessage: (listener) => void stops.push(bridge.onMessage(listener)),
    onClose: () => {},
    close: async () => {
      for (const stop of stops.splice(0)) stop()
    }
  }
}
