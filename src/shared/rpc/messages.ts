// The two messages of the request/reply layer, as every port carries them: structured-clone
// ports (Electron IPC, worker threads, utility processes) as these objects, the host's WebSocket
// as binary frames (frame.ts) that decode to the same objects. Whatever arrives is untrusted
// until read here.
import { isErrorInfo, type Envelope } from '../contract/errors.ts'

/** Ids are whole numbers that fit the binary frame's 32-bit header field. */
export const MAX_ID = 0xffff_ffff

/** The id of a request whose answer nobody waits for, and of a reply to a request that named no id. */
export const NO_ID = 0

export interface RpcRequest {
  type: 'request'
  id: number
  method: string
  arg?: unknown
}

export type RpcReply = { type: 'reply'; id: number } & Envelope<unknown>

export type RpcMessage = RpcRequest | RpcReply

/** A message that could not be decoded (a malformed frame): answered with an error, never run. */
export interface UnreadableMessage {
  type: 'unreadable'
  /** The id from the frame's header when it could be read, else NO_ID. */
  id: number
  problem: string
}

/** A request as a server reads it: the method is whatever was sent, for the handler to refuse. */
export type IncomingRequest = { id: number; method: unknown; arg: unknown } | { id: number; problem: string }

export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_ID
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Read an untrusted message as a request; never throws. */
export function readRequest(message: unknown): IncomingRequest {
  if (!isRecord(message)) return { id: NO_ID, problem: 'a message must be an object' }
  if (message.type === 'unreadable') {
    const m = message as unknown as UnreadableMessage
    return { id: isId(m.id) ? m.id : NO_ID, problem: String(m.problem) }
  }
  const id = isId(message.id) ? message.id : NO_ID
  if (message.type !== 'request') return { id, problem: 'only requests are answered here' }
  if (!isId(message.id)) return { id, problem: `a request needs an id from 0 to ${MAX_ID}` }
  if (!Object.hasOwn(message, 'method')) return { id, problem: 'a request needs a method' }
  return { id, method: message.method, arg: message.arg }
}

/** Read an untrusted message as a reply; null for anything else (ignored by the client). */
export function readReply(message: unknown): RpcReply | null {
  if (!isRecord(message) || message.type !== 'reply' || !isId(message.id)) return null
  if (message.ok === true) return { type: 'reply', id: message.id, ok: true, value: message.value }
  if (message.ok === false) {
    const error = isErrorInfo(message.error)
      ? { code: message.error.code, message: message.error.message }
      : { code: 'internal' as const, message: 'the reply carried a malformed error' }
    return { type: 'reply', id: message.id, ok: false, error }
  }
  return null
}
