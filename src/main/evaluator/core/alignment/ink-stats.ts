// What the alignment needs to know of a set of ink pixels at a glance: where its mass sits, how
// far it spreads, and its bounding box.

export interface InkStats {
  count: number
  /** The ink centroid, frame pixels (pixel centres at whole numbers). */
  cx: number
  cy: number
  /** Root mean square distance of the ink from its centroid (Euclidean), frame pixels. */
  spread: number
  /** The ink's bounding box, inclusive pixel coordinates. */
  minX: number
  maxX: number
  minY: number
  maxY: number
}

/** The statistics of a non-empty list of row-major pixel indices of a frame `width` wide. */
export function inkStats(pixels: ArrayLike<number>, width: number): InkStats {
  const n = pixels.length
  if (n === 0) throw new Error('inkStats needs at least one ink pixel')
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let minX = Infinity
  let maxX = -Infinity
  let minY = Infinity
  let maxY = -Infinity
  for (let i = 0; i < n; i++) {
    const p = pixels[i]
    const y = (p / width) | 0
    const x = p - y * width
    sx += x
    sy += y
    sxx += x * x
    syy += y * y
    if (x < minX) minX = x
    if (x > maxX) maxX = x
    if (y < minY) minY = y
    if (y > maxY) maxY = y
  }
  const cx = sx / n
  const cy = sy / n
  const variance = Math.max(0, sxx / n - cx * cx + syy / n - cy * cy)
  return { count: n, cx, cy, spread: Math.sqrt(variance), minX, maxX, minY, maxY }
}
