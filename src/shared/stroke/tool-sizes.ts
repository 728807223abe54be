import type { Tool } from './types.ts'

/** Tool sizes on offer, in frame pixels (the frame's longest side is 500 px by default). */
export const TOOL_SIZES: Record<Tool, readonly number[]> = {
  pen: [1, 1.5, 2, 3, 4, 6, 8, 12],
  eraser: [6, 10, 16, 24, 36, 54]
}
