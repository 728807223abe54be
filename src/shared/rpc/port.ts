// What the request/reply layer needs from a connection: send a message, hear messages, learn
// that it closed. Each carrier implements it once: Electron IPC (preload), the host's WebSocket
// (page thread, socket worker, Node), worker threads and Electron utility processes, and an
// in-memory pair (memory-port.ts).
import type { RpcMessage } from './messages.ts'

export interface RpcPort {
  /**
   * Send one message. `transfer` lists buffers the message may move instead of copying (ports
   * that cannot move them copy). Throws when the message cannot be carried; then nothing was sent.
   */
  send(message: RpcMessage, transfer?: ArrayBuffer[]): void
  /** Every message that arrives, unchecked: the layer reads it (messages.ts). */
  onMessage(listener: (message: unknown) => void): void
  /** Called once when the port has closed for good: the peer ended, the link dropped, or close(). */
  onClose(listener: (reason: string) => void): void
  /** Close it; resolves once it is closed (for a process: once it has ended). */
  close(): Promise<void>
  /** Keep the process that owns the port alive while calls wait (true) or not (false); Node only. */
  hold?(busy: boolean): void
}
