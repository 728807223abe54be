// A narrow PNG reader for the batch: 8-bit, non-interlaced grey, grey + alpha, RGB, RGBA and
// palette images, which is what the original tool and Sightline's exports write. The inflate is
// Node's zlib (native); only the row filters are undone here. Anything else (other depths,
// interlacing, colour profiles, a single-colour transparency, a bad checksum, data before or
// after what the header promises) is declined with null, and the caller decodes the file with
// sharp, whose checks and messages stay the one authority on what is wrong with a file.
// Why not sharp for everything: a sharp call costs more in thread hand-offs than this whole
// reader (measured in bench/batch.ts), and a batch decodes thousands.
import { crc32, inflateSync } from 'node:zlib'

export interface PngPixels {
  width: number
  height: number
  /** Bytes per pixel as stored: 1 grey or palette index, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4
  /**
   * Row-major, filters undone, each row as stored: byte `c` of pixel (y, x) is at
   * `y * rowStride + 1 + x * channels + c` (the first byte of each row held its filter type).
   */
  data: Uint8Array
  rowStride: number
  /** For a palette image: RGB entries and their alpha (255 where tRNS says nothing). */
  palette: { rgb: Uint8Array; alpha: Uint8Array } | null
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const CHANNELS: Record<number, 1 | 2 | 3 | 4> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
/** Ancillary chunks that change no pixel as sharp reads them (the rest decline the fast path). */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME', 'pHYs'])

/**
 * The pixels of a PNG this reader takes, or null for "decode it the ordinary way". `maxPixels`
 * bounds the work before anything is inflated.
 */
export function readPngPixels(bytes: Uint8Array, maxPixels: number): PngPixels | null {
  if (bytes.length < 8 + 25 + 12) return null
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 8
  let width = 0,
    height = 0,
    channels: 1 | 2 | 3 | 4 = 1,
    colourType = -1
  let plte: Uint8Array | null = null
  let trns: Uint8Array | null = null
  const idat: Uint8Array[] = []
  let ended = false
  let first = true
  while (pos + 12 <= bytes.length) {
    const length = view.getUint32(pos)
    if (length > bytes.length - pos - 12) return null
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7])
    const body = bytes.subarray(pos + 8, pos + 8 + length)
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== view.getUint32(pos + 8 + length)) return null
    pos += 12 + length
    if (first !== (type === 'IHDR')) return null
    first = false
    if (type === 'IHDR') {
      if (length !== 13) return null
      width = view.getUint32(body.byteOffset - bytes.byteOffset)
      height = view.getUint32(body.byteOffset - bytes.byteOffset + 4)
      const [depth, colour, compression, filter, interlace] = body.subarray(8, 13)
      if (depth !== 8 || compression !== 0 || filter !== 0 || interlace !== 0 || !(colour in CHANNELS)) return null
      if (width === 0 || height === 0 || width * height > maxPixels) return null
      colourType = colour
      channels = CHANNELS[colour]
    } else if (type === 'PLTE') {
      if (colourType !== 3 || plte || idat.length || length % 3 !== 0 || length === 0) return null
      plte = body
    } else if (type === 'tRNS') {
      if (colourType !== 3 || !plte || idat.length || length > plte.length / 3) return null
      trns = body
    } else if (type === 'IDAT') {
      if (colourType === 3 && !plte) return null
      idat.push(body)
    } else if (type === 'IEND') {
      ended = true
      break
    } else if (!HARMLESS.has(type)) return null
  }
  if (!ended || pos !== bytes.length || idat.length === 0) return null

  const stride = width * channels
  const expected = (stride + 1) * height
  let raw: Buffer
  try {
    // One output chunk the size the header promises: no concatenation of small chunks afterwards.
    raw = inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), {
      maxOutputLength: expected + 1,
      chunkSize: Math.max(64, expected + 1)
    })
  } catch {
    return null
  }
  if (raw.length !== expected) return null
  if (!unfilter(raw, stride, height, channels)) return null
  const data: Uint8Array = raw
  let palette: PngPixels['palette'] = null
  if (plte) {
    const entries = plte.length / 3
    const alpha = new Uint8Array(entries).fill(255)
    if (trns) alpha.set(trns)
    palette = { rgb: plte, alpha }
    // An index past the palette is an error sharp reports; leave it to sharp.
    for (let y = 0; y < height; y++)
      for (let i = y * (stride + 1) + 1, end = i + stride; i < end; i++) if (data[i] >= entries) return null
  }
  return { width, height, channels, data, rowStride: stride + 1, palette }
}

/** Undo the five row filters (PNG spec section 9) in place, rows left where they are; false for an unknown filter. */
function unfilter(raw: Uint8Array, stride: number, height: number, bpp: number): boolean {
  const rowStride = stride + 1
  for (let y = 0; y < height; y++) {
    const at = y * rowStride + 1
    const prev = at - rowStride
    const filter = raw[at - 1]
    if (filter === 0) continue
    if (filter === 1) {
      for (let i = bpp; i < stride; i++) raw[at + i] += raw[at + i - bpp]
    } else if (filter === 2) {
      if (y > 0) for (let i = 0; i < stride; i++) raw[at + i] += raw[prev + i]
    } else if (filter === 3) {
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? raw[at + i - bpp] : 0
        const b = y > 0 ? raw[prev + i] : 0
        raw[at + i] += (a + b) >> 1
      }
    } else if (filter === 4) {
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? raw[at + i - bpp] : 0
        const b = y > 0 ? raw[prev + i] : 0
        const c = i >= bpp && y > 0 ? raw[prev + i - bpp] : 0
        const pa = Math.abs(b - c),
          pb = Math.abs(a - c),
          pc = Math.abs(a + b - 2 * c)
        raw[at + i] += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      }
    } else return false
  }
  return true
}
