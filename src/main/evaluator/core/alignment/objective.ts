// What the search minimises: the symmetric mean L1 distance between the drawing moved onto the
// reference and the reference, (mean over D of dist(G(d), R) + mean over R of dist(r, G(D))) / 2,
// each distance capped (so that the part of a drawing not drawn yet, or a stray line, does not
// drag the rest off its place), estimated on evenly spread samples of both inks with
// interpolated distance maps. The second term is read from the drawing's own map at F(r): G
// scales distances by 1 / scale. A level without that second term measures the first alone.
import type { DistanceMap } from './distance-map.ts'
import { drawingToReference, referenceToDrawing, type Affine, type Pivot, type SimilarityParams } from './similarity.ts'

/** Frame positions of sampled ink pixels. */
export interface Samples {
  x: Float64Array
  y: Float64Array
}

/** At most `limit` of the pixels, evenly spread through the list (which is in raster order). */
export function samplePixels(pixels: ArrayLike<number>, width: number, limit: number): Samples {
  const n = Math.min(pixels.length, limit)
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  const step = pixels.length / n
  for (let i = 0; i < n; i++) {
    const p = pixels[Math.floor(i * step)]
    const row = (p / width) | 0
    y[i] = row
    x[i] = p - row * width
  }
  return { x, y }
}

/** The maps and samples one level of the search reads. */
export interface Level {
  /** dist(., R), read at G(d) for the drawing's samples. */
  referenceMap: DistanceMap
  drawingSamples: Samples
  /** No distance counts for more than this, frame pixels. */
  cap: number
  /** The other direction: dist(., D), read at F(r) for the reference's samples. */
  reverse?: { drawingMap: DistanceMap; referenceSamples: Samples }
}

/**
 * Sum over the samples of min(cap, the map's distance at t(sample)), in frame pixels: the map
 * read between cell centres (bilinear), and outside the grid the L1 distance to its edge added
 * (exact for L1: a point outside a box reaches the box's sources through its nearest point).
 */
function cappedSum(map: DistanceMap, samples: Samples, t: Affine, cap: number): number {
  const { data, width: w, height: h, factor: f } = map
  const half = (f - 1) / 2
  const inv = 1 / f
  const capCells = cap * inv
  const maxU = w - 1
  const maxV = h - 1
  const sx = samples.x
  const sy = samples.y
  // The transform and the cell grid's offset folded into one affine map to cell coordinates.
  const ua = t.a * inv
  const ub = t.b * inv
  const uc = (t.tx - half) * inv
  const va = t.c * inv
  const vb = t.d * inv
  const vc = (t.ty - half) * inv
  const n = sx.length
  let sum = 0
  for (let i = 0; i < n; i++) {
    const x = sx[i]
    const y = sy[i]
    let u = ua * x + ub * y + uc
    let v = va * x + vb * y + vc
    let outside = 0
    if (u < 0) {
      outside = -u
      u = 0
    } else if (u > maxU) {
      outside = u - maxU
      u = maxU
    }
    if (v < 0) {
      outside -= v
      v = 0
    } else if (v > maxV) {
      outside += v - maxV
      v = maxV
    }
    if (outside >= capCells) {
      sum += capCells
      continue
    }
    // Grids are at least 2 x 2 (frames are at least 64 pixels; the factors keep 32 cells).
    const i0 = u < maxU ? u | 0 : maxU - 1
    const j0 = v < maxV ? v | 0 : maxV - 1
    const a = u - i0
    const o = j0 * w + i0
    const top = data[o] + (data[o + 1] - data[o]) * a
    const bottom = data[o + w] + (data[o + w + 1] - data[o + w]) * a
    const d = top + (bottom - top) * (v - j0) + outside
    sum += d < capCells ? d : capCells
  }
  return sum * f
}

/**
 * The estimated mean capped distance, in frame pixels, of the drawing moved by `params`:
 * symmetric when the level has both directions.
 */
export function levelDistance(level: Level, params: SimilarityParams, pivot: Pivot): number {
  const forward =
    cappedSum(level.referenceMap, level.drawingSamples, drawingToReference(params, pivot), level.cap) /
    level.drawingSamples.x.length
  const reverse = level.reverse
  if (!reverse) return forward
  const scale = Math.exp(params.logScale)
  // Distances in the drawing's frame are `scale` times those in the reference's.
  const backward =
    cappedSum(reverse.drawingMap, reverse.referenceSamples, referenceToDrawing(params, pivot), level.cap * scale) /
    scale /
    reverse.referenceSamples.x.length
  return (forward + backward) / 2
}
