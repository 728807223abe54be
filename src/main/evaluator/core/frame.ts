import { StudioError } from '#shared/contract/errors.ts'

export const MIN_FRAME_SIDE = 64
export const MAX_FRAME_SIDE = 4096

export function checkFrame(width: number, height: number): void {
  for (const [name, v] of [
    ['width', width],
    ['height', height]
  ] as const) {
    if (!Number.isInteger(v) || v < MIN_FRAME_SIDE || v > MAX_FRAME_SIDE) {
      throw new StudioError(
        'invalid-input',
        `the frame ${name} must be a whole number from ${MIN_FRAME_SIDE} to ${MAX_FRAME_SIDE}, not ${v}`
      )
    }
  }
}

/** The tolerance for precision / recall: 1 % of the side, rounded down to whole pixels. */
export function defaultTolerance(side: number): number {
  return Math.floor(side / 100)
}
