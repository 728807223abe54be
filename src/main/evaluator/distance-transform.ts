// Exact L1 (city-block) distance transforms by the classic two-pass scan (Rosenfeld & Pfaltz):
// a forward pass taking min(up, left) + 1 and a backward pass taking min(down, right) + 1 give
// exactly the 4-connected breadth-first distance on an unobstructed grid.

/** Larger than any distance in a frame up to 4096 x 4096 (max 8190), and fits a Uint16. */
export const FAR = 0xffff

/**
 * In place: `d` holds 0 at source cells and FAR elsewhere for a w x h window; afterwards each
 * cell holds its L1 distance to the nearest source (FAR if there is none). Distances are
 * capped at FAR - 1 by construction since w + h <= 8192.
 */
// Uint16Array only: one element type keeps the hot loops monomorphic (two types measured 2x slower).
export function distanceTransform(d: Uint16Array, w: number, h: number): void {
  // Forward: top-left to bottom-right.
  for (let x = 1; x < w; x++) {
    const left = d[x - 1] + 1
    if (left < d[x]) d[x] = left
  }
  for (let y = 1; y < h; y++) {
    const row = y * w
    let prev = d[row]
    const up0 = d[row - w] + 1
    if (up0 < prev) d[row] = prev = up0
    for (let i = row + 1, end = row + w; i < end; i++) {
      let v = d[i]
      const up = d[i - w] + 1
      if (up < v) v = up
      if (prev + 1 < v) v = prev + 1
      d[i] = prev = v
    }
  }
  // Backward: bottom-right to top-left.
  const last = (h - 1) * w
  for (let x = w - 2; x >= 0; x--) {
    const right = d[last + x + 1] + 1
    if (right < d[last + x]) d[last + x] = right
  }
  for (let y = h - 2; y >= 0; y--) {
    const row = y * w
    let next = d[row + w - 1]
    const down0 = d[row + w - 1 + w] + 1
    if (down0 < next) d[row + w - 1] = next = down0
    for (let i = row + w - 2; i >= row; i--) {
      let v = d[i]
      const down = d[i + w] + 1
      if (down < v) v = down
      if (next + 1 < v) v = next + 1
      d[i] = next = v
    }
  }
}
