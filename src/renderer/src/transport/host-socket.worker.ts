// The page's WebSocket to the host, in a worker: replies reach this thread while the page's own
// tasks are held (Chromium defers them from pen-up until the next frame), and each small reply
// is left in shared memory, where the page takes it at the start of its next frame. Frames pass
// through undecoded: only a reply's id is read, from the frame's header.
import { replyIdOf } from '#shared/rpc/frame-header.ts'
import { MailboxWriter } from '#shared/rpc/reply-mailbox.ts'
import type { FromSocketWorker, ToSocketWorker } from './host-socket-protocol.ts'

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToSocketWorker>) => void) | null
  postMessage(message: FromSocketWorker, transfer?: Transferable[]): void
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
    ws.binaryType = 'arraybuffer'
    socket = ws
    ws.onopen = () => scope.postMessage({ kind: 'open' })
    ws.onerror = () => scope.postMessage({ kind: 'error' })
    ws.onclose = () => scope.postMessage({ kind: 'closed' })
    ws.onmessage = (e: MessageEvent<unknown>) => {
      if (!(e.data instanceof ArrayBuffer)) return // the host sends binary frames only
      const bytes = new Uint8Array(e.data)
      const id = replyIdOf(bytes)
      // Shared memory first, so it is there however soon the page looks; then the frame itself moves.
      if (id !== null) mailbox?.post(id, bytes)
      scope.postMessage({ kind: 'reply', bytes }, [e.data])
    }
  } else if (m.kind === 'send') {
    socket?.send(m.bytes)
  }
}
