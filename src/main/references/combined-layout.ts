/** Spec section 5: where the two halves of a combined image (the original tool's layout) are. */
export const COMBINED = {
  side: 500,
  referenceLeft: 0,
  drawingLeft: 510,
  minWidth: 1010
} as const
