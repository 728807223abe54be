// The answering end of the request/reply layer. `answer` turns any message, however malformed,
// into exactly one reply and never throws; `serve` answers every message on a port.
import type { Envelope } from '../contract/errors.ts'
import { readRequest, type RpcReply } from './messages.ts'
import type { RpcPort } from './port.ts'

/**
 * Runs one request. `method` is whatever the peer sent (the handler refuses what it does not
 * know); the handler validates `arg` too. It should answer errors as envelopes; a throw is
 * still caught and answered as an 'internal' error.
 */
export type RpcHandler = (method: unknown, arg: unknown) => Envelope<unknown> | Promise<Envelope<unknown>>

/** The reply to one message: the handler's answer, or an error naming what was wrong with it. */
export async function answer(message: unknown, handler: RpcHandler): Promise<RpcReply> {
  const request = readRequest(message)
  if ('problem' in request) {
    return {
      type: 'reply',
      id: request.id,
      ok: false,
      error: { code: 'invalid-input', message: `unreadable request: ${request.problem}` }
    }
  }
  try {
    return { type: 'reply', id: request.id, ...(await handler(request.method, request.arg)) }
  } catch (err) {
    return {
      type: 'reply',
      id: request.id,
      ok: false,
      error: { code: 'internal', message: `the request failed unexpectedly: ${describe(err)}` }
    }
  }
}

export interface ServeOptions {
  /** Buffers a reply may move rather than copy (ports that can move them). */
  transferOf?(reply: RpcReply): ArrayBuffer[]
}

/** Answer every message that arrives on the port, each with one reply on the same port. */
export function serve(port: RpcPort, handler: RpcHandler, options: ServeOptions = {}): void {
  port.onMessage((message) => {
    void answer(message, handler).then((reply) => sendReply(port, reply, options))
  })
}

/** A reply the port cannot carry (say, a value it cannot encode) is answered as an error instead. */
function sendReply(port: RpcPort, reply: RpcReply, options: ServeOptions): void {
  try {
    const transfer = reply.ok ? options.transferOf?.(reply) : undefined
    try {
      port.send(reply, transfer)
    } catch (err) {
      if (!transfer?.length) throw err
      port.send(reply) // a buffer that could not be moved is copied instead
    }
  } catch (err) {
    try {
      port.send({
        type: 'reply',
        id: reply.id,
        ok: false,
        error: { code: 'internal', message: `the reply could not be sent: ${describe(err)}` }
      })
    } catch {
      // The port itself is gone; its closing tells the peer.
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
