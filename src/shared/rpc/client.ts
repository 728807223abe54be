// The calling end of the request/reply layer, over any RpcPort: numbers each request, matches
// each reply to its call, fails a call whose reply is an error with that error's code, and
// decides (through its options) what a timeout or a closed port means. The studio's transports
// fail the waiting calls; the evaluator's supervisor starts a new process and sends them again.
import { StudioError, type ErrorCode } from '../contract/errors.ts'
import { MAX_ID, NO_ID, readReply, type RpcReply } from './messages.ts'
import type { RpcPort } from './port.ts'

export interface RpcClientOptions {
  /** Opens a port when a message needs one: at the first, and again after the last one closed. */
  connect(): RpcPort
  /** How long a call may wait for its reply (none by default); counted again when it is resent. */
  timeoutMs?: number
  /** A call had no reply within timeoutMs. By default it fails with an 'internal' error. */
  onTimeout?(call: PendingCall): void
  /** The port in use closed (not one let go of). By default every waiting call fails with the reason. */
  onClose?(reason: string): void
}

/** A call that waits for its reply. */
export interface PendingCall {
  readonly id: number
  readonly method: string
  readonly arg: unknown
  /** The reply's value, or a StudioError. */
  readonly reply: Promise<unknown>
}

/** Told, as a call settles and before its promise does, whether it failed. */
export type SettleHook = (call: PendingCall, error: Error | null) => void

interface Waiting {
  call: PendingCall
  resolve(value: unknown): void
  reject(error: Error): void
  timer: ReturnType<typeof setTimeout> | null
  onSettle: SettleHook | undefined
}

export class RpcClient {
  private readonly options: RpcClientOptions
  private readonly waiting = new Map<number, Waiting>()
  private port: RpcPort | null = null
  /** Whether the current port was asked to hold its process (hold(true)). */
  private held = false
  private nextId = 1
  private closedWith: Error | null = null

  constructor(options: RpcClientOptions) {
    this.options = options
  }

  /**
   * Send a request; its reply settles `reply`. Sent at once, before this returns. `onSettle` is
   * called synchronously as the call settles, before any later message is read (for an owner
   * that must act on a failure before the next reply).
   */
  request(method: string, arg?: unknown, onSettle?: SettleHook): PendingCall {
    let resolve!: (value: unknown) => void
    let reject!: (error: Error) => void
    const reply = new Promise<unknown>((res, rej) => {
      resolve = res
      reject = rej
    })
    if (this.closedWith) {
      reject(this.closedWith)
      return { id: NO_ID, method, arg, reply }
    }
    const id = this.takeId()
    const call: PendingCall = { id, method, arg, reply }
    this.waiting.set(id, { call, resolve, reject, timer: null, onSettle })
    this.transmit(id)
    return call
  }

  call(method: string, arg?: unknown): Promise<unknown> {
    return this.request(method, arg).reply
  }

  /** Send a request whose reply nobody waits for; false if it could not be sent. */
  notify(method: string, arg?: unknown): boolean {
    if (this.closedWith) return false
    try {
      this.ensurePort().send({ type: 'request', id: NO_ID, method, arg })
      return true
    } catch {
      return false
    }
  }

  /** Send a waiting call again (on the current port, or a new one); false if it no longer waits. */
  resend(id: number): boolean {
    if (!this.waiting.has(id)) return false
    this.transmit(id)
    return true
  }

  isWaiting(id: number): boolean {
    return this.waiting.has(id)
  }

  /** The calls that wait for their replies, oldest first. */
  waitingCalls(): PendingCall[] {
    return [...this.waiting.values()].map((w) => w.call)
  }

  /**
   * Let go of the port in use: it is closed, and neither its replies nor its closing are heard
   * any more. The next message opens a new port; waiting calls wait until they are resent.
   */
  disconnect(): Promise<void> {
    return (
      this.letGo()
        ?.close()
        .catch(() => undefined) ?? Promise.resolve()
    )
  }

  /** Fail one waiting call with this error (its reply, if it comes, is ignored); false if it no longer waits. */
  fail(id: number, error: Error): boolean {
    if (!this.waiting.has(id)) return false
    this.settle(id, error)
    return true
  }

  /** Fail every waiting call with this error. */
  failAll(error: Error): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, error)
  }

  /**
   * Fail every waiting call and every later one with this error; resolves once the port is
   * closed (rejects if closing it failed).
   */
  close(error: Error): Promise<void> {
    this.closedWith = error
    this.failAll(error)
    return this.letGo()?.close() ?? Promise.resolve()
  }

  private letGo(): RpcPort | null {
    const port = this.port
    this.port = null
    this.held = false
    return port
  }

  private takeId(): number {
    let id = this.nextId
    while (this.waiting.has(id)) id = id >= MAX_ID ? 1 : id + 1
    this.nextId = id >= MAX_ID ? 1 : id + 1
    return id
  }

  private transmit(id: number): void {
    const w = this.waiting.get(id)
    if (!w) return
    const { method, arg } = w.call
    const why = (err: unknown): string => (err instanceof Error ? err.message : String(err))
    let port: RpcPort
    try {
      port = this.ensurePort()
    } catch (err) {
      this.settle(id, new StudioError('internal', `${method}: could not connect (${why(err)})`))
      return
    }
    this.updateHold()
    try {
      port.send({ type: 'request', id, method, arg })
    } catch (err) {
      this.settle(id, new StudioError('invalid-input', `${method}: the request could not be sent (${why(err)})`))
      return
    }
    this.arm(w)
  }

  private arm(w: Waiting): void {
    const ms = this.options.timeoutMs
    if (ms === undefined) return
    if (w.timer !== null) clearTimeout(w.timer)
    const id = w.call.id
    w.timer = setTimeout(() => this.timedOut(id), ms)
    // Node: a timer alone must not keep a process alive (hold() does that while calls wait).
    const t = w.timer as unknown as { unref?: () => void }
    if (typeof t === 'object' && t !== null) t.unref?.()
  }

  private timedOut(id: number): void {
    const w = this.waiting.get(id)
    if (!w) return
    w.timer = null
    if (this.options.onTimeout) this.options.onTimeout(w.call)
    else
      this.settle(id, new StudioError('internal', `${w.call.method} had no reply within ${this.options.timeoutMs} ms`))
  }

  private ensurePort(): RpcPort {
    if (this.port) return this.port
    const port = this.options.connect()
    this.port = port
    this.held = false
    port.onMessage((message) => {
      if (this.port !== port) return // a port let go of: its late replies are not ours any more
      const reply = readReply(message)
      if (reply && this.waiting.has(reply.id)) this.settle(reply.id, reply)
    })
    port.onClose((reason) => {
      if (this.port !== port) return
      this.port = null
      this.held = false
      if (this.options.onClose) this.options.onClose(reason)
      else this.failAll(new StudioError('internal', reason))
    })
    return port
  }

  private settle(id: number, outcome: RpcReply | Error): void {
    const w = this.waiting.get(id)
    if (!w) return
    this.waiting.delete(id)
    if (w.timer !== null) clearTimeout(w.timer)
    this.updateHold()
    const error =
      outcome instanceof Error
        ? outcome
        : outcome.ok
          ? null
          : new StudioError(outcome.error.code as ErrorCode, outcome.error.message)
    w.onSettle?.(w.call, error)
    if (error) w.reject(error)
    else w.resolve((outcome as Extract<RpcReply, { ok: true }>).value)
  }

  private updateHold(): void {
    const busy = this.waiting.size > 0
    if (!this.port || this.held === busy) return
    this.held = busy
    this.port.hold?.(busy)
  }
}
