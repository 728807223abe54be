// The heatmap's colour map, built for ink on a light background: a path through OKLab (a
// perceptually uniform colour space) with lightness falling evenly from a light teal (no error)
// through blue and purple to a dark red (the largest error on the scale). Equal steps in error
// are close to equal steps in perceived colour, order reads as "darker = worse" even in grey,
// and the worst errors are the darkest marks on the page, where the eye goes first.
// (Viridis and its relatives end in light yellow, which all but vanishes on white paper.)

export type Rgb = readonly [number, number, number]

/** Lightness (OKLab L) at error 0 and at the top of the scale. */
const L0 = 0.8
const L1 = 0.42
/** Hue (degrees, OKLCh) at 0 and at the top: teal, then blue, purple, crimson, dark red. */
const H0 = 195
const H1 = 395
/** Chroma, reduced where sRGB cannot show it. */
const CHROMA = 0.15

function oklabToLinearSrgb(L: number, a: number, b: number): [number, number, number] {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s
  ]
}

const toSrgb8 = (c: number): number => {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055
  return Math.round(Math.min(1, Math.max(0, v)) * 255)
}

const inGamut = (rgb: number[]): boolean => rgb.every((c) => c >= -1e-4 && c <= 1 + 1e-4)

/** OKLCh (L, C, h in degrees) to 8-bit sRGB, with chroma reduced until the colour exists in sRGB. */
export function oklchToSrgb(L: number, C: number, hDeg: number): Rgb {
  const h = (hDeg * Math.PI) / 180
  let lo = 0
  let hi = C
  let rgb = oklabToLinearSrgb(L, C * Math.cos(h), C * Math.sin(h))
  if (!inGamut(rgb)) {
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2
      if (inGamut(oklabToLinearSrgb(L, mid * Math.cos(h), mid * Math.sin(h)))) lo = mid
      else hi = mid
    }
    rgb = oklabToLinearSrgb(L, lo * Math.cos(h), lo * Math.sin(h))
  }
  return [toSrgb8(rgb[0]), toSrgb8(rgb[1]), toSrgb8(rgb[2])]
}

/** The map's OKLCh coordinates at t in [0, 1]. */
export function errorMapLch(t: number): { L: number; C: number; h: number } {
  return { L: L0 + (L1 - L0) * t, C: CHROMA, h: H0 + (H1 - H0) * t }
}

export const MAP_STEPS = 256

/** 256 entries of interleaved RGB: entry i is the colour at t = i / 255. */
export const ERROR_MAP: Uint8Array = (() => {
  const lut = new Uint8Array(MAP_STEPS * 3)
  for (let i = 0; i < MAP_STEPS; i++) {
    const { L, C, h } = errorMapLch(i / (MAP_STEPS - 1))
    lut.set(oklchToSrgb(L, C, h), i * 3)
  }
  return lut
})()

/** The map entry for an error of `error` on a scale from 0 to `max` (clamped at the top). */
export function mapIndex(error: number, max: number): number {
  return Math.min(MAP_STEPS - 1, Math.max(0, Math.round((error / max) * (MAP_STEPS - 1))))
}

/**
 * The top of every heatmap's colour scale, in % of the frame side: fixed, so a colour means the
 * same error in every drawing and every view (one stray line does not recolour the rest), and
 * errors beyond it take the top colour (the legend says "+").
 */
export const HEATMAP_TOP_PERCENT = 10

/** The colour for an error in % of the side on the fixed scale, as CSS rgb(). */
export function errorColour(percent: number): string {
  const k = mapIndex(percent, HEATMAP_TOP_PERCENT) * 3
  return `rgb(${ERROR_MAP[k]} ${ERROR_MAP[k + 1]} ${ERROR_MAP[k + 2]})`
}

/** The scale as CSS gradient stops, 0 to HEATMAP_TOP_PERCENT left to right (for on-screen legends). */
export function errorGradient(stops = 12): string {
  const colours: string[] = []
  for (let i = 0; i < stops; i++) colours.push(errorColour((i / (stops - 1)) * HEATMAP_TOP_PERCENT))
  return `linear-gradient(to right, ${colours.join(', ')})`
}
