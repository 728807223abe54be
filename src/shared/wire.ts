// JSON with byte arrays: the Node host's WebSocket carries the API as JSON text, and
// Uint8Array values travel as {"$bytes": base64}. Works in browsers and Node (btoa/atob).

const CHUNK = 0x8000

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  }
  return btoa(binary)
}

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { $bytes: bytesToBase64(v) } : v
  )
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const keys = Object.keys(v)
      if (keys.length === 1 && keys[0] === '$bytes' && typeof (v as { $bytes: unknown }).$bytes === 'string') {
        return base64ToBytes((v as { $bytes: string }).$bytes)
      }
    }
    return v
  })
}

/** A call from the studio to the host. */
export interface WireRequest {
  id: number
  method: string
  arg?: unknown
}

/** The host's answer to one call. */
export type WireResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { code: string; message: string } }
