// The layer's messages as binary WebSocket frames: the fixed header (frame-header.ts), then the
// body in MessagePack, so byte arrays travel as bytes (a MessagePack bin) and decode as
// Uint8Array. Bodies: a request {m: method, a: arg}, a value {v: value}, an error {code, message};
// undefined properties are left out, as JSON leaves them out.
import { Decoder, Encoder } from '@msgpack/msgpack'
import type { ErrorCode } from '../contract/errors.ts'
import { NO_ID, type RpcMessage, type UnreadableMessage } from './messages.ts'
import { FRAME_KIND, HEADER_BYTES, readHeader, writeHeader, type FrameKind } from './frame-header.ts'
import { countItems } from './msgpack-items.ts'

/** What a frame decodes to: a request (its method not yet checked), a reply, or why it cannot be read. */
export type DecodedFrame =
  | { type: 'request'; id: number; method: unknown; arg: unknown }
  | Extract<RpcMessage, { type: 'reply' }>
  | UnreadableMessage

/** An encoder that grew past this (a large upload) is dropped rather than kept at that size. */
const KEEP_ENCODER_BYTES = 1 << 20
const newEncoder = (): Encoder => new Encoder({ ignoreUndefined: true })
let encoder = newEncoder()
const decoder = new Decoder()

/** Throws if the message holds something MessagePack cannot carry (then nothing is returned). */
export function encodeFrame(message: RpcMessage): Uint8Array<ArrayBuffer> {
  let kind: FrameKind
  let body: unknown
  if (message.type === 'request') {
    kind = FRAME_KIND.request
    body = { m: message.method, a: message.arg }
  } else if (message.ok) {
    kind = FRAME_KIND.value
    body = { v: message.value }
  } else {
    kind = FRAME_KIND.error
    body = { code: message.error.code, message: message.error.message }
  }
  let encoded: Uint8Array
  try {
    encoded = encoder.encodeSharedRef(body)
  } catch (err) {
    encoder = newEncoder() // it may have stopped half-way
    throw err
  }
  const frame = new Uint8Array(HEADER_BYTES + encoded.byteLength)
  frame.set(encoded, HEADER_BYTES)
  writeHeader(frame, kind, message.id)
  if (encoded.buffer.byteLength > KEEP_ENCODER_BYTES) encoder = newEncoder()
  return frame
}

/** Never throws: a frame that cannot be read decodes to an UnreadableMessage saying why. */
export function decodeFrame(frame: Uint8Array): DecodedFrame {
  return decodeBoundedFrame(frame, Infinity).message
}

/**
 * decodeFrame for an untrusted peer: a body of more than `maxItems` values (msgpack-items.ts) is
 * refused without being decoded, so what decoding costs in memory is bounded by `maxItems`, not
 * by the frame's bytes. Also answers how many values the body held (0 when it was not read).
 */
export function decodeBoundedFrame(frame: Uint8Array, maxItems: number): { message: DecodedFrame; items: number } {
  const header = readHeader(frame)
  if (!header) return { message: unreadable(NO_ID, `a frame needs at least ${HEADER_BYTES} bytes`), items: 0 }
  const { kind, id } = header
  if (kind !== FRAME_KIND.request && kind !== FRAME_KIND.value && kind !== FRAME_KIND.error)
    return { message: unreadable(id, `unknown frame kind ${kind}`), items: 0 }
  let items = 0
  if (maxItems !== Infinity) {
    const count = countItems(frame.subarray(HEADER_BYTES), maxItems)
    if (count.kind === 'too-many') {
      const message = unreadable(id, `the frame's body holds more than ${maxItems.toLocaleString('en-US')} values`)
      return { message, items: 0 }
    }
    if (count.kind === 'counted') items = count.items
  }
  return { message: decodeBody(frame, kind, id), items }
}

function decodeBody(frame: Uint8Array, kind: number, id: number): DecodedFrame {
  let body: unknown
  try {
    body = decoder.decode(frame.subarray(HEADER_BYTES))
  } catch (err) {
    return unreadable(id, `the frame's body is not MessagePack (${err instanceof Error ? err.message : String(err)})`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || body instanceof Uint8Array)
    return unreadable(id, "the frame's body must be a map")
  const b = body as Record<string, unknown>
  if (kind === FRAME_KIND.request) {
    if (!Object.hasOwn(b, 'm')) return unreadable(id, 'a request needs a method')
    return { type: 'request', id, method: b.m, arg: b.a }
  }
  if (kind === FRAME_KIND.value) return { type: 'reply', id, ok: true, value: b.v }
  if (typeof b.code !== 'string' || typeof b.message !== 'string')
    return unreadable(id, 'an error needs a code and a message')
  return { type: 'reply', id, ok: false, error: { code: b.code as ErrorCode, message: b.message } }
}

function unreadable(id: number, problem: string): UnreadableMessage {
  return { type: 'unreadable', id, problem }
}
