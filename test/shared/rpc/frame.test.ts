import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeFrame } from '#shared/rpc/frame.ts'
import { FRAME_KIND, HEADER_BYTES, replyIdOf } from '#shared/rpc/frame-header.ts'
import { MAX_ID, type RpcMessage } from '#shared/rpc/messages.ts'

/** Plain data as the API carries it: JSON-like values, byte arrays, undefined properties. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, undefined),
    fc.integer(),
    fc.double({ noDefaultInfinity: false }).filter((x) => !Object.is(x, -0)),
    fc.string({ unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(
      fc.string({ unit: 'grapheme' }).filter((k) => k !== '__proto__'),
      tie('node'),
      { maxKeys: 4 }
    )
  )
})).node

/** What a value becomes on the wire, said plainly: undefined properties go, undefined elements become null. */
function expected(v: unknown): unknown {
  if (v instanceof Uint8Array) return v
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : expected(x)))
  if (typeof v === 'object' && v !== null)
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, expected(x)])
    )
  return v
}

const id = fc.integer({ min: 0, max: MAX_ID })
const message: fc.Arbitrary<RpcMessage> = fc.oneof(
  fc.record({ type: fc.constant('request' as const), id, method: fc.string(), arg: value }),
  fc.record({ type: fc.constant('reply' as const), id, ok: fc.constant(true as const), value }),
  fc.record({
    type: fc.constant('reply' as const),
    id,
    ok: fc.constant(false as const),
    error: fc.record({ code: fc.constantFrom('invalid-input' as const, 'internal' as const), message: fc.string() })
  })
)

describe('binary frames', () => {
  it('decode to the message encoded, bytes as Uint8Array, undefined properties left out as JSON does', () => {
    fc.assert(
      fc.property(message, (m) => {
        const back = decodeFrame(encodeFrame(m))
        if (m.type === 'request')
          expect(back).toEqual({ type: 'request', id: m.id, method: m.method, arg: expected(m.arg) })
        else if (m.ok) expect(back).toEqual({ ...m, value: expected(m.value) })
        else expect(back).toEqual(m)
      }),
      { numRuns: 500 }
    )
  })

  it('carry the reply id in the header, read without decoding the body; requests have none', () => {
    fc.assert(
      fc.property(message, (m) => {
        const frame = encodeFrame(m)
        expect(replyIdOf(frame)).toBe(m.type === 'reply' ? m.id : null)
        // The header alone decides: the same id at the same place whatever the body holds.
        expect(new DataView(frame.buffer).getUint32(1, true)).toBe(m.id)
        expect(frame[0]).toBe(m.type === 'request' ? FRAME_KIND.request : m.ok ? FRAME_KIND.value : FRAME_KIND.error)
      })
    )
    expect(replyIdOf(new Uint8Array([2, 1, 0, 0]))).toBeNull() // too short for a header
  })

  it('carry bytes as bytes: a megabyte upload costs a few bytes more, not a third more', () => {
    const bytes = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 255)
    const frame = encodeFrame({ type: 'request', id: 1, method: 'importReference', arg: { fileName: 'a.png', bytes } })
    expect(frame.byteLength).toBeLessThan(bytes.byteLength + 64)
    const back = decodeFrame(frame) as { arg: { bytes: Uint8Array } }
    expect(back.arg.bytes).toEqual(bytes)
  })

  it('never throw on bytes that are not a frame, and keep the header id when there is one', () => {
    const damaged = fc.tuple(message, fc.nat(), fc.nat({ max: 255 }), fc.boolean()).map(([m, at, byte, cut]) => {
      const frame = encodeFrame(m)
      const i = at % frame.length
      if (cut) return frame.slice(0, i)
      frame[i] = byte
      return frame
    })
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), damaged), (bytes) => {
        const d = decodeFrame(bytes)
        expect(['request', 'reply', 'unreadable']).toContain(d.type)
        if (bytes.length >= HEADER_BYTES)
          expect(d.id).toBe(new DataView(bytes.buffer, bytes.byteOffset).getUint32(1, true))
        else expect(d).toMatchObject({ type: 'unreadable', id: 0 })
        if (d.type === 'unreadable') expect(d.problem).toEqual(expect.any(String))
      }),
      { numRuns: 1000 }
    )
  })

  it('refuse bodies that are not maps, a __proto__ key, and errors without a code', () => {
    const withBody = (kind: number, body: number[]) => new Uint8Array([kind, 7, 0, 0, 0, ...body])
    expect(decodeFrame(withBody(1, [0x01]))).toMatchObject({
      type: 'unreadable',
      id: 7,
      problem: "the frame's body must be a map"
    })
    expect(decodeFrame(withBody(1, [0x80]))).toMatchObject({ type: 'unreadable', problem: 'a request needs a method' })
    // {"__proto__": 1}
    const proto = [0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x01]
    expect(decodeFrame(withBody(1, proto))).toMatchObject({ type: 'unreadable', id: 7 })
    expect(decodeFrame(withBody(3, [0x80]))).toMatchObject({
      type: 'unreadable',
      problem: 'an error needs a code and a message'
    })
    expect(decodeFrame(withBody(9, [0x80]))).toMatchObject({ type: 'unreadable', problem: 'unknown frame kind 9' })
  })

  it('refuse to encode what MessagePack cannot carry, and go on encoding afterwards', () => {
    const deep: unknown[] = []
    let at = deep
    for (let i = 0; i < 200; i++) at = (at[0] = []) as unknown[]
    expect(() => encodeFrame({ type: 'reply', id: 1, ok: true, value: deep })).toThrow()
    expect(() => encodeFrame({ type: 'reply', id: 1, ok: true, value: { f: () => 1 } })).toThrow()
    expect(decodeFrame(encodeFrame({ type: 'reply', id: 2, ok: true, value: 'fine' }))).toEqual({
      type: 'reply',
      id: 2,
      ok: true,
      value: 'fine'
    })
  })
})
