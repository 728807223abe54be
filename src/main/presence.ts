// Which window holds the studio (docs in src/shared/contract/app.ts): one at a time, so two
// browser tabs on one host never draw into the same attempt. A window that stops sending its
// heartbeat (closed, crashed, asleep) is let go after `staleMs`. Pure state and a clock.
import type { StudioClaim } from '#shared/contract/app.ts'
import { StudioError } from '#shared/contract/errors.ts'

export const PRESENCE_STALE_MS = 10_000

export class StudioPresence {
  #holder: { windowId: string; seenAt: number } | null = null
  /** Windows that held the studio until another took it over (told so once they ask). */
  readonly #takenFrom = new Set<string>()
  readonly #staleMs: number
  readonly #now: () => number

  constructor(staleMs = PRESENCE_STALE_MS, now: () => number = Date.now) {
    this.#staleMs = staleMs
    this.#now = now
  }

  #free(at: number): boolean {
    return this.#holder === null || at - this.#holder.seenAt > this.#staleMs
  }

  claim(windowId: string, takeOver: boolean): StudioClaim {
    const at = this.#now()
    const holder = this.#holder
    if (holder && holder.windowId !== windowId && !takeOver && !this.#free(at)) return { state: 'elsewhere' }
    if (holder && holder.windowId !== windowId) this.#takenFrom.add(holder.windowId)
    this.#takenFrom.delete(windowId)
    this.#holder = { windowId, seenAt: at }
    return { state: 'yours' }
  }

  heartbeat(windowId: string): StudioClaim {
    const holder = this.#holder
    if (holder?.windowId === windowId) {
      holder.seenAt = this.#now()
      return { state: 'yours' }
    }
    if (this.#takenFrom.has(windowId)) return { state: 'taken-over' }
    return { state: 'elsewhere' }
  }

  release(windowId: string): void {
    if (this.#holder?.windowId === windowId) this.#holder = null
    this.#takenFrom.delete(windowId)
  }

  /**
   * An edit from a window: refused once another window took the studio over. An edit without a
   * window (a program using the API) is let through.
   */
  check(windowId: string | undefined): void {
    if (windowId === undefined || this.#holder === null || this.#holder.windowId === windowId) return
    if (this.#takenFrom.has(windowId))
      throw new StudioError(
        'forbidden',
        'the studio was taken over by another tab or window; take it back to draw here'
      )
  }
}
