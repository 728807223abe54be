import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MessageBudget, type BudgetedConnection } from '#main/shells/host/message-budget.ts'

interface Sim {
  c: BudgetedConnection
  paused: boolean
  /** Message sizes still to send, and how much of the first is sent. */
  toSend: number[]
  sentOfFirst: number
  /** Messages received, waiting for their answer: [cost, steps left]. */
  waiting: [number, number][]
}

/**
 * Connections sending messages in chunks, one chunk per step from one connection that is not
 * paused; the service answers each message after a few steps. Checks after every step that a
 * connection over its limit is paused, and at the end that everything was answered (no deadlock).
 */
function simulate(
  opts: { freeBytes: number; slotBytes: number; slots: number; chunk: number },
  messages: number[][],
  choices: number[],
  delays: number[]
): { peak: number; bound: number; steps: number } {
  const budget = new MessageBudget(opts)
  const sims: Sim[] = messages.map((m) => {
    const s: Sim = {
      c: null as unknown as BudgetedConnection,
      paused: false,
      toSend: [...m],
      sentOfFirst: 0,
      waiting: []
    }
    s.c = budget.open({ pause: () => (s.paused = true), resume: () => (s.paused = false) })
    return s
  })
  let step = 0
  for (; step < 100_000; step++) {
    // The service: answers come due.
    for (const s of sims) for (const w of s.waiting) if (--w[1] <= 0) s.c.answered(w[0])
    for (const s of sims) s.waiting = s.waiting.filter((w) => w[1] > 0)
    const ready = sims.filter((s) => !s.paused && s.toSend.length > 0)
    if (ready.length === 0) {
      if (sims.every((s) => s.toSend.length === 0 && s.waiting.length === 0)) break
      if (sims.every((s) => s.waiting.length === 0))
        throw new Error('deadlock: paused connections and nothing to answer')
      continue
    }
    const s = ready[choices[step % choices.length] % ready.length]
    const n = Math.min(opts.chunk, s.toSend[0] - s.sentOfFirst)
    s.sentOfFirst += n
    s.c.received(n)
    if (s.sentOfFirst === s.toSend[0]) {
      const size = s.toSend.shift()!
      s.sentOfFirst = 0
      s.c.message(size, size)
      s.waiting.push([size, 1 + (delays[step % delays.length] % 5)])
    }
    // (Plain checks: this runs at every step.)
    for (const x of sims) {
      const limit = x.c.hasSlot ? opts.slotBytes : opts.freeBytes
      if (x.paused !== x.c.inFlight > limit) throw new Error(`paused ${x.paused} with ${x.c.inFlight} in flight`)
    }
    if (sims.filter((x) => x.c.hasSlot).length > opts.slots) throw new Error('more slots taken than there are')
  }
  expect(budget.inFlight).toBe(0)
  const bound = sims.length * (opts.freeBytes + opts.chunk) + opts.slots * (opts.slotBytes - opts.freeBytes)
  return { peak: budget.peak, bound, steps: step }
}

describe('the host message budget', () => {
  it('pauses whoever is over its limit, bounds the total, and always gets everything answered', () => {
    fc.assert(
      fc.property(
        fc.record({
          freeBytes: fc.integer({ min: 4, max: 40 }),
          extra: fc.integer({ min: 0, max: 200 }),
          slots: fc.integer({ min: 1, max: 3 }),
          chunk: fc.integer({ min: 1, max: 16 })
        }),
        fc.array(fc.array(fc.integer({ min: 1, max: 240 }), { maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 50 }),
        ({ freeBytes, extra, slots, chunk }, messages, choices, delays) => {
          const slotBytes = freeBytes + extra
          // Messages no larger than a slot allows (the socket's maxPayload sees to the rest).
          const fitting = messages.map((m) => m.map((size) => Math.min(size, slotBytes)))
          const { peak, bound } = simulate({ freeBytes, slotBytes, slots, chunk }, fitting, choices, delays)
          expect(peak).toBeLessThanOrEqual(bound)
        }
      ),
      { numRuns: 150 }
    )
  })

  it('takes four huge uploads at once one at a time: in flight stays near one upload, not four', () => {
    const MiB = 1024 // (in KiB: the same shape, fewer steps)
    const upload = 100 * MiB
    const opts = { freeBytes: 24 * MiB, slotBytes: 110 * MiB + 24 * MiB, slots: 1, chunk: 64 }
    const { peak } = simulate(opts, [[upload], [upload], [upload], [upload]], [0, 1, 2, 3], [3])
    expect(peak).toBeLessThan(upload + 4 * (opts.freeBytes + opts.chunk))
    expect(peak).toBeGreaterThanOrEqual(upload)
  })

  it('hands on at most maxPending messages at once, and none while paused, in the order they came', () => {
    const budget = new MessageBudget({ freeBytes: 100, slotBytes: 250, slots: 1, maxPending: 2 })
    let paused = false
    const c = budget.open({ pause: () => (paused = true), resume: () => (paused = false) })
    const ran: number[] = []
    for (let i = 0; i < 5; i++) {
      c.message(10, 10)
      c.whenReady(() => ran.push(i))
    }
    expect(ran).toEqual([0, 1])
    c.answered(10)
    expect(ran).toEqual([0, 1, 2])
    const other = budget.open({ pause: () => undefined, resume: () => undefined })
    other.received(200) // takes the only slot
    c.received(80) // 40 held + 80 arriving: over the allowance, and no slot to be had
    expect([paused, c.hasSlot]).toEqual([true, false])
    c.answered(10)
    expect(ran).toEqual([0, 1, 2]) // paused: nothing handed on, though one fewer is pending
    other.closed() // the slot passes to c, which is within it: reading and handing on go on
    expect(paused).toBe(false)
    expect(ran).toEqual([0, 1, 2, 3])
    c.answered(10)
    c.answered(10)
    expect(ran).toEqual([0, 1, 2, 3, 4])
  })

  it('frees a closed connection’s bytes and passes its slot on', () => {
    const budget = new MessageBudget({ freeBytes: 10, slotBytes: 100, slots: 1 })
    const flows = [false, false]
    const a = budget.open({ pause: () => (flows[0] = true), resume: () => (flows[0] = false) })
    const b = budget.open({ pause: () => (flows[1] = true), resume: () => (flows[1] = false) })
    a.received(50)
    expect(a.hasSlot).toBe(true)
    b.received(20)
    expect([b.hasSlot, flows[1]]).toEqual([false, true])
    a.closed()
    expect([b.hasSlot, flows[1]]).toEqual([true, false])
    expect(budget.inFlight).toBe(20)
    b.message(20, 20)
    b.answered(20)
    expect([b.hasSlot, budget.inFlight]).toEqual([false, 0])
  })
})
