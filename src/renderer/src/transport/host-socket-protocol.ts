// Messages between the page and the worker that holds its WebSocket to the host
// (host-socket.worker.ts, used by host-client.ts).
import type { MailboxMemory } from '#shared/rpc/reply-mailbox.ts'

export type ToSocketWorker =
  /** Open the socket; each small reply is also left in the mailbox. */
  { kind: 'connect'; url: string; mailbox: MailboxMemory } | { kind: 'send'; text: string }

export type FromSocketWorker =
  { kind: 'open' } | { kind: 'reply'; text: string } | { kind: 'error' } | { kind: 'closed' }
