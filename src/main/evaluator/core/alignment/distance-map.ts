// L1 distance maps for the alignment search, in plain TypeScript: the exact distance from every
// pixel of a grid to the nearest marked pixel (spec section 2), and the same on a coarser grid
// where one cell stands for f x f pixels (marked when any of them is ink).

/** "No source" before a transform; an L1 distance in a 4096 x 4096 frame is at most 8190. */
const FAR = 0xffff

/** A distance map over a grid of cells, each cell `factor` x `factor` frame pixels. */
export interface DistanceMap {
  data: Uint16Array
  width: number
  height: number
  /** Frame pixels per cell side (1 = the frame itself). */
  factor: number
}

/**
 * The exact L1 distance transform, in place: `grid` holds 0 at the sources and FAR elsewhere.
 * L1 distance is separable: the 1-D distance along each row, then along each column of that.
 */
export function distanceTransform(grid: Uint16Array, width: number, height: number): void {
  for (let y = 0; y < height; y++) {
    const o = y * width
    let v = grid[o]
    for (let x = 1; x < width; x++) {
      const a = grid[o + x]
      v = v + 1 < a ? v + 1 : a
      grid[o + x] = v
    }
    v = grid[o + width - 1]
    for (let x = width - 2; x >= 0; x--) {
      const a = grid[o + x]
      v = v + 1 < a ? v + 1 : a
      grid[o + x] = v
    }
  }
  for (let y = 1; y < height; y++) {
    const o = y * width
    const p = o - width
    for (let x = 0; x < width; x++) {
      const a = grid[p + x] + 1
      if (a < grid[o + x]) grid[o + x] = a
    }
  }
  for (let y = height - 2; y >= 0; y--) {
    const o = y * width
    const p = o + width
    for (let x = 0; x < width; x++) {
      const a = grid[p + x] + 1
      if (a < grid[o + x]) grid[o + x] = a
    }
  }
}

/** Grid size at `factor` frame pixels per cell. */
export function cellsAcross(frameSide: number, factor: number): number {
  return Math.ceil(frameSide / factor)
}

/**
 * The distance map of a set of frame pixels (row-major indices y * width + x) on the grid of
 * `factor`-pixel cells (a power of two); at factor 1 it is the exact map of the spec.
 */
export function distanceMapOf(pixels: ArrayLike<number>, width: number, height: number, factor = 1): DistanceMap {
  const shift = Math.log2(factor)
  if (!Number.isInteger(shift) || shift < 0) throw new Error(`the cell factor must be a power of two, not ${factor}`)
  const w = cellsAcross(width, factor)
  const h = cellsAcross(height, factor)
  const data = new Uint16Array(w * h).fill(FAR)
  if (shift === 0) {
    for (let i = 0; i < pixels.length; i++) data[pixels[i]] = 0
  } else {
    for (let i = 0; i < pixels.length; i++) {
      const p = pixels[i]
      const y = (p / width) | 0
      data[(y >> shift) * w + ((p - y * width) >> shift)] = 0
    }
  }
  if (pixels.length > 0) distanceTransform(data, w, h)
  return { data, width: w, height: h, factor }
}
