// How many values a MessagePack body would decode to, found by walking its bytes without building
// anything. A frame's bytes say little about the memory its decoding takes: `{"":0}` is 3 bytes
// and a whole JS object, so 100 MB of tiny maps would become gigabytes. The host counts first and
// refuses a request over its budget before the decoder sees it.

/** Every value counts one: a scalar, a string, a byte array, an array or map itself, each map key. */
export type ItemCount =
  | { kind: 'counted'; items: number }
  /** More than `max` items: the walk stopped there. */
  | { kind: 'too-many'; max: number }
  /** Truncated or not MessagePack, within `max` items: the decoder may say what is wrong. */
  | { kind: 'malformed' }

export function countItems(bytes: Uint8Array, max: number): ItemCount {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const end = bytes.byteLength
  let pos = 0
  let items = 0
  // Values still to read; containers add their children. A number, not a stack: only the count matters.
  let pending = 1
  const malformed: ItemCount = { kind: 'malformed' }

  while (pending > 0) {
    if (pos >= end) return malformed
    pending--
    if (++items > max) return { kind: 'too-many', max }
    const b = bytes[pos++]
    let skip = 0 // bytes of payload after the header
    let children = 0
    if (b <= 0x7f || b >= 0xe0 || b === 0xc0 || b === 0xc2 || b === 0xc3) skip = 0
    else if (b <= 0x8f) children = 2 * (b & 0x0f)
    else if (b <= 0x9f) children = b & 0x0f
    else if (b <= 0xbf) skip = b & 0x1f
    else {
      const need = (n: number): boolean => pos + n <= end
      switch (b) {
        case 0xc4: // bin 8
        case 0xd9: // str 8
          if (!need(1)) return malformed
          skip = 1 + bytes[pos]
          break
        case 0xc5: // bin 16
        case 0xda: // str 16
          if (!need(2)) return malformed
          skip = 2 + view.getUint16(pos)
          break
        case 0xc6: // bin 32
        case 0xdb: // str 32
          if (!need(4)) return malformed
          skip = 4 + view.getUint32(pos)
          break
        case 0xc7: // ext 8: length, type, data
          if (!need(1)) return malformed
          skip = 2 + bytes[pos]
          break
        case 0xc8: // ext 16
          if (!need(2)) return malformed
          skip = 3 + view.getUint16(pos)
          break
        case 0xc9: // ext 32
          if (!need(4)) return malformed
          skip = 5 + view.getUint32(pos)
          break
        case 0xca: // float 32
        case 0xce: // uint 32
        case 0xd2: // int 32
          skip = 4
          break
        case 0xcb: // float 64
        case 0xcf: // uint 64
        case 0xd3: // int 64
          skip = 8
          break
        case 0xcc: // uint 8
        case 0xd0: // int 8
          skip = 1
          break
        case 0xcd: // uint 16
        case 0xd1: // int 16
          skip = 2
          break
        case 0xd4: // fixext 1, 2, 4, 8, 16: type, data
          skip = 2
          break
        case 0xd5:
          skip = 3
          break
        case 0xd6:
          skip = 5
          break
        case 0xd7:
          skip = 9
          break
        case 0xd8:
          skip = 17
          break
        case 0xdc: // array 16
          if (!need(2)) return malformed
          children = view.getUint16(pos)
          skip = 2
          break
        case 0xdd: // array 32
          if (!need(4)) return malformed
          children = view.getUint32(pos)
          skip = 4
          break
        case 0xde: // map 16
          if (!need(2)) return malformed
          children = 2 * view.getUint16(pos)
          skip = 2
          break
        case 0xdf: // map 32
          if (!need(4)) return malformed
          children = 2 * view.getUint32(pos)
          skip = 4
          break
        default: // 0xc1: never used
          return malformed
      }
    }
    pos += skip
    if (pos > end) return malformed
    // Children announced but never sent are found missing when the bytes run out; until then
    // each one read counts, so a truncated body is refused at `max` items as a whole one is.
    pending += children
  }
  return { kind: 'counted', items }
}
