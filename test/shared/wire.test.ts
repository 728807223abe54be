import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, decodeWire, encodeWire } from '../../src/shared/wire.ts'

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
})
