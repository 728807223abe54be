// Messages between the page and the worker that holds its WebSocket to the host
// (host-socket.worker.ts, used by worker-socket-port.ts). Frames are the layer's binary frames
// (src/shared/rpc/frame.ts), moved between the threads rather than copied.
import type { MailboxMemory } from '#shared/rpc/reply-mailbox.ts'

export type ToSocketWorker =
  /** Open the socket; each small reply is also left in the mailbox. */
  { kind: 'connect'; url: string; mailbox: MailboxMemory } | { kind: 'send'; bytes: Uint8Array }

export type FromSocketWorker =
  { kind: 'open' } | { kind: 'reply'; bytes: Uint8Array } | { kind: 'error' } | { kind: 'closed' }
