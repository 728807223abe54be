import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from '#shared/base64.ts'
import { decodeWire, encodeWire, replyIdOf } from '#shared/rpc/wire.ts'

describe('wire codec', () => {
  it('round-trips byte arrays of any length through base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70_000 }), (bytes) => {
        const text = bytesToBase64(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64'))
        expect(base64ToBytes(text)).toEqual(bytes)
      }),
      { numRuns: 50 }
    )
  })

  it('round-trips nested values with bytes inside', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.uint8Array({ maxLength: 64 }), (json, bytes) => {
        const value = { json, nested: [{ png: bytes }] }
        const back = decodeWire(encodeWire(value)) as typeof value
        expect(back.nested[0].png).toBeInstanceOf(Uint8Array)
        expect(back.nested[0].png).toEqual(bytes)
        expect(back.json).toEqual(JSON.parse(JSON.stringify(json)))
      })
    )
  })

  it('leaves objects that merely have a $bytes key among others alone', () => {
    expect(decodeWire('{"$bytes":"AA==","x":1}')).toEqual({ $bytes: 'AA==', x: 1 })
  })

  it('decodes exactly as a JSON.parse reviver does, escaped keys and __proto__ included', () => {
    // The decoder the wire used to have: obviously right, and slow.
    const reference = (text: string): unknown =>
      JSON.parse(text, (_key, v: unknown) => {
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
          const keys = Object.keys(v)
          if (keys.length === 1 && keys[0] === '$bytes' && typeof (v as { $bytes: unknown }).$bytes === 'string') {
            return base64ToBytes((v as { $bytes: string }).$bytes)
          }
        }
        return v
      })
    const bytesLike = fc.oneof(
      fc.uint8Array({ maxLength: 12 }).map((b) => ({ $bytes: bytesToBase64(b) })),
      fc.constant({ $bytes: 5 }),
      fc.constant({ $bytes: 'AA==', more: 1 })
    )
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        bytesLike,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('a', '$bytes', '__proto__', 'bytes', 'x'), tie('node'), { maxKeys: 3 })
      )
    })).node
    fc.assert(
      fc.property(value, fc.boolean(), (v, escape) => {
        let text = JSON.stringify(v)
        // The same key written with a JSON escape must mean the same.
        if (escape) text = text.replaceAll('"$bytes"', '"\\u0024bytes"')
        // Either both give the same value or both refuse (a $bytes string that is not base64).
        const outcome = (decode: (t: string) => unknown) => {
          try {
            return { value: decode(text) }
          } catch (err) {
            return { error: (err as Error).name }
          }
        }
        expect(outcome(decodeWire)).toEqual(outcome(reference))
      }),
      { numRuns: 300 }
    )
    expect(Object.getPrototypeOf(decodeWire('{"__proto__":{"$bytes":"AQI="}}'))).toBe(Object.prototype)
    expect((decodeWire('{"__proto__":{"$bytes":"AQI="}}') as Record<string, unknown>)['__proto__']).toEqual(
      new Uint8Array([1, 2])
    )
  })
})

describe('replyIdOf', () => {
  it('reads the id of every reply the host encodes, without decoding it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.boolean(), fc.jsonValue(), (id, ok, value) => {
        const reply = ok
          ? { id, ok: true, value }
          : { id, ok: false, error: { code: 'internal', message: JSON.stringify(value) } }
        expect(replyIdOf(encodeWire(reply))).toBe(id)
      })
    )
  })

  it('is null for anything else', () => {
    for (const text of [
      '{"id":-1,"ok":false}',
      '{"ok":true,"id":3}',
      ' {"id":3,',
      '{"id":"3",',
      '{"id":3}',
      '[]',
      '',
      '{"id":1234567890,'
    ]) {
      expect(replyIdOf(text)).toBeNull()
    }
  })
})
