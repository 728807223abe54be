import fc from 'fast-check'
import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { MailboxReader, MailboxWriter, SLOTS, SLOT_BYTES, createMailboxMemory } from '#shared/rpc/reply-mailbox.ts'
import { mailboxText } from './fixtures/mailbox-text.ts'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (frame: Uint8Array): string => new TextDecoder().decode(frame)

describe('reply mailbox', () => {
  it('gives back the latest replies (one per slot) whose ids are wanted, oversized ones never', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('post' as const),
        id: fc.integer({ min: 0, max: 60 }),
        text: fc.oneof(
          fc.string({ maxLength: 40, unit: 'grapheme' }),
          fc.constant('x'.repeat(SLOT_BYTES + 1)),
          fc.constant('é'.repeat(SLOT_BYTES / 2))
        )
      }),
      fc.record({
        kind: fc.constant('take' as const),
        wanted: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 30 })
      })
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const memory = createMailboxMemory()
        const writer = new MailboxWriter(memory)
        const reader = new MailboxReader(memory)
        // The model: what each slot holds; posts go round-robin, skipping what does not fit.
        const slots: ({ id: number; text: string } | null)[] = Array.from({ length: SLOTS }, () => null)
        let next = 0
        for (const o of ops) {
          if (o.kind === 'post') {
            const fits = bytes(o.text).length <= SLOT_BYTES
            expect(writer.post(o.id, bytes(o.text))).toBe(fits)
            if (fits) {
              slots[next] = { id: o.id, text: o.text }
              next = (next + 1) % SLOTS
            }
          } else {
            const wanted = new Set(o.wanted)
            const expected = slots.filter((s): s is { id: number; text: string } => s !== null && wanted.has(s.id))
            const taken = reader.take((id) => wanted.has(id))
            expect(taken.map((r) => ({ id: r.id, text: text(r.frame) }))).toEqual(expected)
            for (const r of taken) expect(r.frame.buffer).not.toBeInstanceOf(SharedArrayBuffer) // a copy, not a view
          }
        }
      }),
      { numRuns: 300 }
    )
  })

  it('refuses ids that are not whole numbers from 0 to 2^31 - 1', () => {
    const writer = new MailboxWriter(createMailboxMemory())
    for (const id of [-1, 1.5, 2 ** 31, Number.NaN]) expect(writer.post(id, bytes('x'))).toBe(false)
    expect(writer.post(2 ** 31 - 1, bytes('x'))).toBe(true)
  })

  it('never gives a torn reply while another thread writes', async () => {
    const memory = createMailboxMemory()
    const reader = new MailboxReader(memory)
    const count = 60_000
    const worker = new Worker(new URL('./fixtures/mailbox-writer.ts', import.meta.url), {
      workerData: { memory, count }
    })
    const done = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve())
      worker.once('error', reject)
    })
    let finished = false
    void done.then(() => (finished = true))
    let taken = 0
    let highest = 0
    while (!finished) {
      for (const { id, frame } of reader.take(() => true)) {
        expect(text(frame)).toBe(mailboxText(id))
        taken++
        highest = Math.max(highest, id)
      }
      await new Promise<void>((r) => setImmediate(r))
    }
    await worker.terminate()
    const last = reader.take(() => true)
    expect(last.map((r) => r.id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: SLOTS }, (_, i) => count - SLOTS + 1 + i)
    )
    for (const { id, frame } of last) expect(text(frame)).toBe(mailboxText(id))
    expect(taken + highest).toBeGreaterThan(0)
  })
})
