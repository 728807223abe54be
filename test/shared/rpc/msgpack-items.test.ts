import fc from 'fast-check'
import { Decoder, Encoder } from '@msgpack/msgpack'
import { describe, expect, it } from 'vitest'
import { countItems } from '#shared/rpc/msgpack-items.ts'

const encoder = new Encoder()
const decoder = new Decoder()

/** The obvious count, on the decoded value: every value one, each map key one. */
function nodes(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce((n: number, v) => n + nodes(v), 0)
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date))
    return 1 + Object.values(value).reduce((n: number, v) => n + 1 + nodes(v), 0)
  return 1
}

const encodable = fc.anything({ withNullPrototype: false, withDate: true, withTypedArray: false }).filter((v) => {
  try {
    // What the decoder reads back: it refuses a __proto__ key (the counter needs no such rule).
    decoder.decode(encoder.encode(v))
    return true
  } catch {
    return false
  }
})

describe('counting the values of a MessagePack body without decoding it', () => {
  it('counts what the decoder would build, value for value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          encodable,
          fc.uint8Array().map((b) => ({ bytes: b, n: [b, 1.5, -3] }))
        ),
        (value) => {
          const bytes = encoder.encode(value)
          const count = countItems(bytes, Infinity)
          expect(count).toEqual({ kind: 'counted', items: nodes(decoder.decode(bytes)) })
        }
      ),
      { numRuns: 500 }
    )
  })

  it('stops at the limit, one past it is too many', () => {
    fc.assert(
      fc.property(encodable, (value) => {
        const bytes = encoder.encode(value)
        const n = nodes(decoder.decode(bytes))
        expect(countItems(bytes, n)).toEqual({ kind: 'counted', items: n })
        expect(countItems(bytes, n - 1)).toEqual({ kind: 'too-many', max: n - 1 })
      }),
      { numRuns: 300 }
    )
  })

  it('never throws on truncated or random bytes, and never says a truncated body is whole', () => {
    fc.assert(
      fc.property(encodable, fc.nat(), fc.uint8Array({ maxLength: 64 }), (value, cut, noise) => {
        const bytes = encoder.encode(value)
        if (bytes.length > 1)
          expect(countItems(bytes.subarray(0, cut % bytes.length), Infinity).kind).not.toBe('counted')
        const random = countItems(noise, 1000)
        if (random.kind === 'counted') expect(random.items).toBeLessThanOrEqual(noise.length)
      }),
      { numRuns: 500 }
    )
  })

  it('does not believe announced sizes: 2^32 - 1 children announced and 400,000 sent', () => {
    const announced = new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff, 0, 0])
    expect(countItems(announced, 1_000_000)).toEqual({ kind: 'malformed' })
    const many = new Uint8Array(5 + 400_000)
    many.set([0xdd, 0x00, 0x06, 0x1a, 0x80]) // an array of 400,000 zeros
    expect(countItems(many, 300_000)).toEqual({ kind: 'too-many', max: 300_000 })
    expect(countItems(many, 400_001)).toEqual({ kind: 'counted', items: 400_001 })
  })

  it('walks 100,000 levels of nesting without a stack', () => {
    const deep = new Uint8Array(100_001).fill(0x91)
    deep[100_000] = 0xc0
    expect(countItems(deep, Infinity)).toEqual({ kind: 'counted', items: 100_001 })
  })
})
