// The fixed header of a binary frame on the host's WebSocket: one byte saying what the frame is,
// then the request id (unsigned 32-bit, little-endian). Read on its own by the socket worker,
// which needs a reply's id to leave it in the mailbox without decoding the body.

export const HEADER_BYTES = 5

export const FRAME_KIND = {
  request: 1,
  /** A reply carrying a value. */
  value: 2,
  /** A reply carrying an error. */
  error: 3
} as const

export type FrameKind = (typeof FRAME_KIND)[keyof typeof FRAME_KIND]

export function writeHeader(frame: Uint8Array, kind: FrameKind, id: number): void {
  new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES).setUint32(1, id, true)
  frame[0] = kind
}

/** The frame's kind byte and id, or null when it is too short to have a header. */
export function readHeader(frame: Uint8Array): { kind: number; id: number } | null {
  if (frame.byteLength < HEADER_BYTES) return null
  return { kind: frame[0], id: new DataView(frame.buffer, frame.byteOffset, HEADER_BYTES).getUint32(1, true) }
}

/** The id of a reply frame, from its header alone; null for anything that is not a reply. */
export function replyIdOf(frame: Uint8Array): number | null {
  const header = readHeader(frame)
  return header && (header.kind === FRAME_KIND.value || header.kind === FRAME_KIND.error) ? header.id : null
}
