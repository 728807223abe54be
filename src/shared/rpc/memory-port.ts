// Two ports joined in memory: what one end sends, the other hears in a later microtask, as a
// message port would deliver it. Messages are handed over as they are (no copy). Closing either
// end closes both. For the evaluator on the calling thread and for tests.
import type { RpcMessage } from './messages.ts'
import type { RpcPort } from './port.ts'

export function memoryPortPair(): [RpcPort, RpcPort] {
  const listeners: ((message: unknown) => void)[][] = [[], []]
  const closeListeners: ((reason: string) => void)[][] = [[], []]
  let open = true

  function closeBoth(reason: string): void {
    if (!open) return
    open = false
    for (const end of closeListeners) for (const l of end.splice(0)) l(reason)
  }

  const end = (me: 0 | 1): RpcPort => ({
    send(message: RpcMessage) {
      if (!open) return // the peer is gone: like a message to an ended process, it is lost
      queueMicrotask(() => {
        if (open) for (const l of listeners[1 - me]) l(message)
      })
    },
    onMessage: (listener) => void listeners[me].push(listener),
    onClose: (listener) => {
      if (open) closeListeners[me].push(listener)
      else queueMicrotask(() => listener('closed'))
    },
    close: async () => closeBoth('closed')
  })
  return [end(0), end(1)]
}
