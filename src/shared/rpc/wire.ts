// JSON with byte arrays: the Node host's WebSocket carries the API as JSON text, and
// Uint8Array values travel as {"$bytes": base64}. Works in browsers and Node (btoa/atob).
import { base64ToBytes, bytesToBase64 } from '../base64.ts'

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { $bytes: bytesToBase64(v) } : v))
}

export function decodeWire(text: string): unknown {
  // Parsed plainly, then the byte arrays put back in one walk: the same result as a JSON.parse
  // reviver, at a fraction of the cost (a reviver is a call per value; a stroke has hundreds).
  return revive(JSON.parse(text))
}

function revive(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = revive(v[i])
      if (r !== v[i]) v[i] = r
    }
    return v
  }
  const o = v as Record<string, unknown>
  const keys = Object.keys(o)
  if (keys.length === 1 && keys[0] === '$bytes' && typeof o.$bytes === 'string') return base64ToBytes(o.$bytes)
  for (const k of keys) {
    const r = revive(o[k])
    if (r !== o[k]) o[k] = r // an own "__proto__" key is an own data property here, so this is a plain write
  }
  return o
}

/** A call from the studio to the host. */
export interface WireRequest {
  id: number
  method: string
  arg?: unknown
}

/** The host's answer to one call. */
export type WireResponse =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: string; message: string } }

/**
 * The id of a reply as the host encodes it (`{"id":N,...`, id first), without parsing the rest;
 * null for anything else. Only a hint for picking replies out of the mailbox: the reply itself is
 * still decoded in full.
 */
export function replyIdOf(text: string): number | null {
  const m = /^\{"id":(\d{1,9}),/.exec(text)
  return m ? Number(m[1]) : null
}
