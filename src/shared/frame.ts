// The evaluation frame of an attempt (spec section 1: any W x H from 64 to 4096): it follows the
// reference's aspect ratio, with its longest side as the person chose it (settings). Each attempt
// keeps the frame it began with, so older attempts (500 x 500 before frames followed references)
// still replay, continue and show as they were drawn.
import type { FrameSize } from './contract/app.ts'

/** The longest sides on offer, in pixels; 500 is the spec's default frame. */
export const FRAME_LONGEST_SIDES = [500, 750, 1000] as const
export type FrameLongestSide = (typeof FRAME_LONGEST_SIDES)[number]
export const DEFAULT_FRAME_LONGEST_SIDE: FrameLongestSide = 500

/** The spec's bounds on either side of a frame. */
export const MIN_FRAME_SIDE = 64
export const MAX_FRAME_SIDE = 4096

/**
 * The frame for a reference of `width` x `height`: the same aspect ratio, its longest side
 * `longest`, the other side rounded and never under MIN_FRAME_SIDE (a reference thinner than that
 * is then padded along its short side, as spec section 1 fits any image).
 */
export function frameFor(width: number, height: number, longest: number): FrameSize {
  if (!(width > 0 && height > 0)) throw new RangeError(`a reference of ${width} x ${height} has no pixels`)
  if (!Number.isInteger(longest) || longest < MIN_FRAME_SIDE || longest > MAX_FRAME_SIDE)
    throw new RangeError(`a frame side is a whole number from ${MIN_FRAME_SIDE} to ${MAX_FRAME_SIDE}, not ${longest}`)
  const short = (side: number, other: number): number =>
    Math.min(longest, Math.max(MIN_FRAME_SIDE, Math.round((longest * side) / other)))
  return width >= height
    ? { width: longest, height: short(height, width) }
    : { width: short(width, height), height: longest }
}

/** Width over height. */
export const aspectOf = (size: { width: number; height: number }): number => size.width / size.height

/**
 * Whether two sizes have different aspect ratios: their ratio differs by more than `tolerance`
 * (1 % by default, more than rounding a side to whole pixels can cause at these sizes).
 */
export function aspectsDiffer(
  a: { width: number; height: number },
  b: { width: number; height: number },
  tolerance = 0.01
): boolean {
  return Math.abs(aspectOf(a) / aspectOf(b) - 1) > tolerance
}

export const sameFrame = (a: FrameSize, b: FrameSize): boolean => a.width === b.width && a.height === b.height
