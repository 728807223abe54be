// A mailbox in shared memory for the host's small replies: the thread that owns the WebSocket
// (a worker) posts each reply here as well as by postMessage, and the page takes it at the start
// of its next animation frame. Chromium holds every task of a page (WebSocket messages and
// postMessage included) from a discrete input such as pen-up until the frame after it, so a
// reply could otherwise never be painted in the ink's own frame; reading shared memory in a
// requestAnimationFrame callback needs no task.
//
// Slots are written round-robin, each under a sequence lock (odd while being written), so the
// reader never takes a torn message: it skips a slot that changed while it copied it. A slot
// overwritten before it was read is no loss: the reply also travels by postMessage.

/** Replies up to this many bytes go through the mailbox; larger ones only by postMessage. */
export const SLOT_BYTES = 16 * 1024
export const SLOTS = 16
const FIELDS = 3 // per slot: sequence, reply id, byte length
const SEQ = 0
const ID = 1
const LEN = 2

export interface MailboxMemory {
  /** SLOTS x FIELDS Int32 fields, then SLOTS x SLOT_BYTES bytes. */
  buffer: SharedArrayBuffer
}

export function createMailboxMemory(): MailboxMemory {
  return { buffer: new SharedArrayBuffer(SLOTS * FIELDS * 4 + SLOTS * SLOT_BYTES) }
}

function views(memory: MailboxMemory): { fields: Int32Array; bytes: Uint8Array } {
  if (memory.buffer.byteLength !== SLOTS * FIELDS * 4 + SLOTS * SLOT_BYTES)
    throw new Error('the reply mailbox has the wrong size')
  return {
    fields: new Int32Array(memory.buffer, 0, SLOTS * FIELDS),
    bytes: new Uint8Array(memory.buffer, SLOTS * FIELDS * 4)
  }
}

/** The writing end (one writer only). */
export class MailboxWriter {
  private readonly fields: Int32Array
  private readonly bytes: Uint8Array
  private next = 0

  constructor(memory: MailboxMemory) {
    ;({ fields: this.fields, bytes: this.bytes } = views(memory))
  }

  /** Post one reply (a whole frame); false (and nothing written) if it is too large for a slot. */
  post(id: number, frame: Uint8Array): boolean {
    if (frame.byteLength > SLOT_BYTES || !Number.isSafeInteger(id) || id < 0 || id > 0x7fffffff) return false
    const slot = this.next
    this.next = (this.next + 1) % SLOTS
    const f = slot * FIELDS
    Atomics.add(this.fields, f + SEQ, 1) // odd: being written
    this.bytes.set(frame, slot * SLOT_BYTES)
    Atomics.store(this.fields, f + ID, id)
    Atomics.store(this.fields, f + LEN, frame.byteLength)
    Atomics.add(this.fields, f + SEQ, 1) // even: complete
    return true
  }
}

/** The reading end: any number of readers may look; each takes what it is waiting for. */
export class MailboxReader {
  private readonly fields: Int32Array
  private readonly bytes: Uint8Array

  constructor(memory: MailboxMemory) {
    ;({ fields: this.fields, bytes: this.bytes } = views(memory))
  }

  /** Every complete reply in the mailbox whose id `wanted` accepts, copied out of shared memory. */
  take(wanted: (id: number) => boolean): { id: number; frame: Uint8Array<ArrayBuffer> }[] {
    const out: { id: number; frame: Uint8Array<ArrayBuffer> }[] = []
    for (let slot = 0; slot < SLOTS; slot++) {
      const f = slot * FIELDS
      const before = Atomics.load(this.fields, f + SEQ)
      if (before === 0 || before & 1) continue // never written, or being written now
      const id = Atomics.load(this.fields, f + ID)
      if (!wanted(id)) continue
      const length = Atomics.load(this.fields, f + LEN)
      if (length < 0 || length > SLOT_BYTES) continue
      // Copied into ordinary memory: the writer may reuse the slot as soon as this returns.
      const copy = new Uint8Array(length)
      copy.set(this.bytes.subarray(slot * SLOT_BYTES, slot * SLOT_BYTES + length))
      if (Atomics.load(this.fields, f + SEQ) !== before) continue // rewritten while copying
      out.push({ id, frame: copy })
    }
    return out
  }
}
