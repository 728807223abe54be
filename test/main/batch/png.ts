// PNG files written the plain way, for the batch reader's tests: each row filtered with the
// filter asked for (PNG spec section 9), the data deflated and cut into IDAT chunks.
import { crc32, deflateSync } from 'node:zlib'

export interface RawImage {
  width: number
  height: number
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA. */
  colourType: 0 | 2 | 3 | 4 | 6
  /** width * height * channels bytes (palette: one index a pixel). */
  pixels: Uint8Array
  palette?: Uint8Array
  transparency?: Uint8Array
}

export const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const

export function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, body.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(body, 8)
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)))
  return out
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c
  const pa = Math.abs(p - a),
    pb = Math.abs(p - b),
    pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}

/** Filter each row with filters[y % filters.length]; `pieces` IDAT chunks; extra chunks before IDAT. */
export function encodePng(
  img: RawImage,
  options: { filters?: number[]; pieces?: number; extra?: Uint8Array[]; depth?: number; interlace?: number } = {}
): Uint8Array {
  const { width, height, colourType, pixels } = img
  const bpp = CHANNELS[colourType]
  const stride = width * bpp
  const filters = options.filters ?? [0]
  const raw = new Uint8Array((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    const f = filters[y % filters.length]
    raw[y * (stride + 1)] = f
    for (let i = 0; i < stride; i++) {
      const x = pixels[y * stride + i]
      const a = i >= bpp ? pixels[y * stride + i - bpp] : 0
      const b = y > 0 ? pixels[(y - 1) * stride + i] : 0
      const c = i >= bpp && y > 0 ? pixels[(y - 1) * stride + i - bpp] : 0
      const predictor = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f]
      raw[y * (stride + 1) + 1 + i] = (x - predictor) & 255
    }
  }
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr.set([options.depth ?? 8, colourType, 0, 0, options.interlace ?? 0], 8)
  const data = deflateSync(raw)
  const pieces = Math.max(1, options.pieces ?? 1)
  const idat: Uint8Array[] = []
  const size = Math.ceil(data.length / pieces)
  for (let at = 0; at < data.length; at += size) idat.push(chunk('IDAT', data.subarray(at, at + size)))
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(img.palette ? [chunk('PLTE', img.palette)] : []),
    ...(img.transparency ? [chunk('tRNS', img.transparency)] : []),
    ...(options.extra ?? []),
    ...idat,
    chunk('IEND', new Uint8Array(0))
  ]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
