// Is this reference a photograph? A line drawing (or a scan of one) is paper and ink: nearly all
// of it in one or two tones, little in between. A photo spreads over many tones, most of them in
// the middle. Outline mode (edges become lines) is what a photo needs; the luma rule, what a
// drawing needs. Pure: over the fitted picture's floor(Y), its padding left out.
import { histogram } from './ink.ts'

export interface ToneProfile {
  /** How many of 16 equal bands of luma hold at least 1 % of the picture. */
  tones: number
  /** The share of the picture with a luma from 32 to 223 (neither near black nor near white). */
  midtones: number
}

export const PHOTO_TONES = 6
export const PHOTO_MIDTONES = 0.25

export function toneProfile(
  luma: Uint8Array,
  width: number,
  content: { left: number; top: number; width: number; height: number }
): ToneProfile {
  const hist = histogram(luma, width, content)
  const total = content.width * content.height
  if (total === 0) return { tones: 0, midtones: 0 }
  let tones = 0
  for (let band = 0; band < 16; band++) {
    let n = 0
    for (let v = band * 16; v < band * 16 + 16; v++) n += hist[v]
    if (n >= total * 0.01) tones++
  }
  let mid = 0
  for (let v = 32; v < 224; v++) mid += hist[v]
  return { tones, midtones: mid / total }
}

/** Many tones, and a good part of the picture in the middle ones. */
export const looksLikePhoto = (p: ToneProfile): boolean => p.tones >= PHOTO_TONES && p.midtones >= PHOTO_MIDTONES
