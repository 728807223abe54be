// The host's memory for API messages in flight, bounded. Each connection may have `freeBytes` in
// flight (bytes of a message still arriving, plus what its received messages cost until they are
// answered) on its own; beyond that it needs one of a few large slots, each good for `slotBytes`
// (the largest message, an upload, and the free allowance). A connection over its limit is paused
// (TCP stops reading, so the sender waits) until its answers bring it back under, or a slot frees.
// The holder of a slot is never paused short of the largest message, so it always finishes; so
// several huge uploads at once are taken one (or `slots`) at a time instead of all together.
// Pure: the socket is behind `Flow`.

export interface BudgetOptions {
  /** What one connection may have in flight without a large slot. */
  freeBytes: number
  /** What the holder of a large slot may have in flight. */
  slotBytes: number
  /** Connections that may hold a large slot at once. */
  slots: number
  /**
   * Messages of one connection handed on and not yet answered, at most: what their answers will
   * cost is not known until they come, so their number is bounded instead. Unbounded by default.
   */
  maxPending?: number
}

/** The connection's reading: paused while it is over its limit. */
export interface Flow {
  pause(): void
  resume(): void
}

export class MessageBudget {
  readonly options: BudgetOptions
  /** The most ever in flight at once, over all connections (for tests and the fuzz report). */
  peak = 0
  #inFlight = 0
  #slotsTaken = 0
  /** Connections paused until a slot frees, oldest first. */
  readonly #waiting: BudgetedConnection[] = []

  constructor(options: BudgetOptions) {
    if (!(options.slotBytes >= options.freeBytes) || options.slots < 1)
      throw new Error('a large slot must allow at least the free allowance, and there must be one')
    this.options = options
  }

  /** Bytes in flight now, over all connections. */
  get inFlight(): number {
    return this.#inFlight
  }

  open(flow: Flow): BudgetedConnection {
    return new BudgetedConnection(this, flow)
  }

  /** @internal */
  changed(by: number): void {
    this.#inFlight += by
    if (this.#inFlight > this.peak) this.peak = this.#inFlight
  }

  /** @internal A slot for `c` now, or a place in the queue for one (false). */
  takeSlot(c: BudgetedConnection): boolean {
    if (this.#slotsTaken < this.options.slots) {
      this.#slotsTaken++
      return true
    }
    if (!this.#waiting.includes(c)) this.#waiting.push(c)
    return false
  }

  /** @internal `c` gave its slot back (or left the queue): the next in line gets it. */
  giveSlot(c: BudgetedConnection, held: boolean): void {
    const queued = this.#waiting.indexOf(c)
    if (queued >= 0) this.#waiting.splice(queued, 1)
    if (!held) return
    this.#slotsTaken--
    const next = this.#waiting.shift()
    if (next) {
      this.#slotsTaken++
      next.granted()
    }
  }
}

export class BudgetedConnection {
  readonly #budget: MessageBudget
  readonly #flow: Flow
  /** Bytes of a message still arriving. */
  #partial = 0
  /** What its received, unanswered messages cost. */
  #held = 0
  #slot = false
  #paused = false
  #closed = false
  /** Messages received while paused, to be handed on (in order) once it is not. */
  readonly #deferred: (() => void)[] = []
  /** Messages handed on and not yet answered. */
  #pending = 0
  #draining = false

  constructor(budget: MessageBudget, flow: Flow) {
    this.#budget = budget
    this.#flow = flow
  }

  get inFlight(): number {
    return this.#partial + this.#held
  }

  get hasSlot(): boolean {
    return this.#slot
  }

  get paused(): boolean {
    return this.#paused
  }

  /** Bytes arrived on the wire. */
  received(bytes: number): void {
    if (this.#closed) return
    this.#partial += bytes
    this.#budget.changed(bytes)
    this.#check()
  }

  /**
   * A whole message came in, `wireBytes` of what arrived: it now costs `cost` until answered.
   */
  message(cost: number, wireBytes: number): void {
    if (this.#closed) return
    const arrived = Math.min(wireBytes, this.#partial)
    this.#partial -= arrived
    this.#held += cost
    this.#budget.changed(cost - arrived)
    this.#check()
  }

  /**
   * Run `handOn` now, or once the connection is no longer paused (in the order asked). Pausing
   * stops the socket's reading, but what was already read (a chunk may hold a thousand small
   * requests) still arrives: it waits here, and what it would cost to answer is not spent yet.
   */
  whenReady(handOn: () => void): void {
    if (this.#closed) return
    this.#deferred.push(handOn)
    this.#drain()
  }

  #ready(): boolean {
    return !this.#paused && !this.#closed && this.#pending < (this.#budget.options.maxPending ?? Infinity)
  }

  /** A reply of this many bytes waits to be written: it counts until answered() frees it. */
  hold(bytes: number): void {
    if (this.#closed) return
    this.#held += bytes
    this.#budget.changed(bytes)
    this.#check()
  }

  /** A message was answered (its reply written or dropped): its cost is free again. */
  answered(cost: number): void {
    if (this.#closed) return
    if (this.#pending > 0) this.#pending--
    const freed = Math.min(cost, this.#held)
    this.#held -= freed
    this.#budget.changed(-freed)
    this.#check()
  }

  /** The connection ended: all it held is free, its slot (or place in the queue) passes on. */
  closed(): void {
    if (this.#closed) return
    this.#closed = true
    this.#deferred.length = 0 // the peer is gone: nobody to answer
    this.#budget.changed(-(this.#partial + this.#held))
    this.#partial = this.#held = 0
    const had = this.#slot
    this.#slot = false
    this.#budget.giveSlot(this, had)
  }

  /** @internal The budget gave this connection a slot it was waiting for. */
  granted(): void {
    if (this.#closed) return this.#budget.giveSlot(this, true)
    this.#slot = true
    this.#check()
  }

  #check(): void {
    const { freeBytes, slotBytes } = this.#budget.options
    const inFlight = this.inFlight
    if (inFlight > freeBytes) {
      if (!this.#slot) this.#slot = this.#budget.takeSlot(this)
    } else {
      // Back within the free allowance: the slot (or the place in its queue) is for others.
      this.#budget.giveSlot(this, this.#slot)
      this.#slot = false
    }
    const over = inFlight > (this.#slot ? slotBytes : freeBytes)
    if (over && !this.#paused) {
      this.#paused = true
      this.#flow.pause()
    } else if (!over && this.#paused) {
      this.#paused = false
      this.#flow.resume()
    }
    if (!this.#paused) this.#drain()
  }

  #drain(): void {
    if (this.#draining) return // a message handed on here changed the budget: the loop goes on
    this.#draining = true
    try {
      while (this.#ready() && this.#deferred.length > 0) {
        this.#pending++
        this.#deferred.shift()!()
      }
    } finally {
      this.#draining = false
    }
  }
}
