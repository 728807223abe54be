import { StudioError } from '../../shared/errors.ts'
import { GRID } from '../../shared/scores.ts'

export const MIN_FRAME_SIDE = 64
export const MAX_FRAME_SIDE = 4096

export function checkFrame(width: number, height: number): void {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < MIN_FRAME_SIDE || v > MAX_FRAME_SIDE) {
      throw new StudioError('invalid-input', `the frame ${name} must be a whole number from ${MIN_FRAME_SIDE} to ${MAX_FRAME_SIDE}, not ${v}`)
    }
  }
}

/** For each coordinate along a side of `length`, its grid band: floor(v * 10 / length) (spec section 4). */
export function gridBands(length: number): Uint8Array {
  const bands = new Uint8Array(length)
  for (let v = 0; v < length; v++) bands[v] = Math.floor((v * GRID) / length)
  return bands
}

/** First coordinate of each band, plus `length` at the end: band i spans [start[i], start[i+1]). */
export function bandStarts(bands: Uint8Array): Int32Array {
  const starts = new Int32Array(GRID + 1).fill(bands.length)
  for (let v = bands.length - 1; v >= 0; v--) starts[bands[v]] = v
  return starts
}

/** The tolerance for precision / recall: 1 % of the side, rounded down to whole pixels. */
export function defaultTolerance(side: number): number {
  return Math.floor(side / 100)
}
