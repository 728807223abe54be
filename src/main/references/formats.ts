// What kind of file a byte string is, from its first bytes (magic numbers). We sniff ourselves
// rather than ask sharp so "not an image" and "an image format we do not take" get their own
// messages, and so a format sharp happens to read (raw pixels, for one) is never guessed into.
import type { ImageFormat } from '#shared/contract/references.ts'

export type Sniffed =
  | { kind: 'image'; format: ImageFormat }
  /** A format we recognise but do not read: `what` names it for the message. */
  | { kind: 'unsupported'; what: string }
  | { kind: 'unknown' }

/** The extension the library stores each format under. */
export const FORMAT_EXTENSION: Record<ImageFormat, string> = {
  png: 'png',
  jpeg: 'jpg',
  webp: 'webp',
  avif: 'avif',
  tiff: 'tiff',
  gif: 'gif',
  svg: 'svg'
}

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)))

const startsWith = (bytes: Uint8Array, magic: readonly number[], at = 0): boolean =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b)

/** ISO base media brands (ftyp box): AVIF decodes (AV1), HEIC (HEVC) does not here. */
function sniffIsoMedia(bytes: Uint8Array): Sniffed | null {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return null
  const boxSize = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0
  const end = Math.min(bytes.length, Math.max(16, boxSize))
  const brands = [ascii(bytes, 8, 12)]
  for (let i = 16; i + 4 <= end; i += 4) brands.push(ascii(bytes, i, i + 4))
  if (brands.includes('avif') || brands.includes('avis')) return { kind: 'image', format: 'avif' }
  if (brands.some((b) => ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(b))) {
    return { kind: 'unsupported', what: 'HEIC/HEIF' }
  }
  return { kind: 'unsupported', what: 'a video or ISO media file' }
}

/** An SVG document: XML text whose root is <svg>. Only UTF-8 (or ASCII) text is taken. */
function sniffSvg(bytes: Uint8Array): Sniffed | null {
  if (startsWith(bytes, [0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe])) {
    const head = new TextDecoder(bytes[0] === 0xfe ? 'utf-16be' : 'utf-16le').decode(bytes.subarray(2, 512))
    return /<svg[\s>]/.test(head) ? { kind: 'unsupported', what: 'a UTF-16 SVG (save it as UTF-8)' } : null
  }
  let start = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0
  while (
    start < bytes.length &&
    (bytes[start] === 0x20 || bytes[start] === 0x09 || bytes[start] === 0x0a || bytes[start] === 0x0d)
  )
    start++
  if (bytes[start] !== 0x3c /* < */) return null
  const head = ascii(bytes, start, start + 64 * 1024)
  if (!/^<(\?xml|!--|!DOCTYPE\s+svg|svg[\s>])/i.test(head)) return null
  return /<svg[\s>]/.test(head) ? { kind: 'image', format: 'svg' } : null
}

export function sniffFormat(bytes: Uint8Array): Sniffed {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' }
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return { kind: 'image', format: 'gif' }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { kind: 'image', format: 'webp' }
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return { kind: 'image', format: 'tiff' }
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b]))
    return { kind: 'image', format: 'tiff' }
  const iso = sniffIsoMedia(bytes)
  if (iso) return iso
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return { kind: 'unsupported', what: 'BMP' }
  if (ascii(bytes, 0, 5) === '%PDF-') return { kind: 'unsupported', what: 'PDF' }
  if (ascii(bytes, 0, 4) === '8BPS') return { kind: 'unsupported', what: 'Photoshop (PSD)' }
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20]))
    return { kind: 'unsupported', what: 'JPEG XL' }
  if (startsWith(bytes, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || startsWith(bytes, [0xff, 0x4f, 0xff, 0x51]))
    return { kind: 'unsupported', what: 'JPEG 2000' }
  if (startsWith(bytes, [0, 0, 1, 0]) && bytes.length >= 22) return { kind: 'unsupported', what: 'ICO' }
  return sniffSvg(bytes) ?? { kind: 'unknown' }
}
