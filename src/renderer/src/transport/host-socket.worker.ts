// The page's WebSocket to the host, in a worker: replies reach this thread while the page's own
// tasks are held (Chromium defers them from pen-up until the next frame), and each small reply
// is left in shared memory, where the page takes it at the start of its next frame.
import { MailboxWriter } from '#shared/rpc/reply-mailbox.ts'
import { replyIdOf } from '#shared/rpc/wire.ts'
import type { FromSocketWorker, ToSocketWorker } from './host-socket-protocol.ts'

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToSocketWorker>) => void) | null
  postMessage(message: FromSocketWorker): void
}

const scope = self as unknown as WorkerScope
let socket: WebSocket | null = null
let mailbox: MailboxWriter | null = null

scope.onmessage = (event) => {
  const m = event.data
  if (m.kind === 'connect') {
    if (socket) return
    mailbox = new MailboxWriter(m.mailbox)
    const ws = new WebSocket(m.url)
    socket = ws
    ws.onopen = () => scope.postMessage({ kind: 'open' })
    ws.onerror = () => scope.postMessage({ kind: 'error' })
    ws.onclose = () => scope.postMessage({ kind: 'closed' })
    ws.onmessage = (e: MessageEvent<string>) => {
      const text = e.data
      const id = replyIdOf(text)
      // Shared memory first, so it is there however soon the page looks.
      if (id !== null) mailbox?.post(id, text)
      scope.postMessage({ kind: 'reply', text })
    }
  } else if (m.kind === 'send') {
    socket?.send(m.text)
  }
}
