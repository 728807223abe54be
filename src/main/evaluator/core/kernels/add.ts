// Adding ink, the hot path of the streaming evaluator (see streaming-evaluator.ts for the method):
// the new pixels get e(d) = dist(d, R) from the reference's distance map, then every reference
// pixel that can come closer to the drawing has its e(r) lowered, from one distance transform of
// the new pixels over their bounding box.
import { distanceTransform } from './distance-transform'
import {
  FAR,
  GRID,
  CELLS,
  YX_MASK,
  YX_SHIFT,
  blockMax,
  blockStart,
  blockX0,
  blockX1,
  blockY0,
  blockY1,
  cellBlockStart,
  cellMaxD,
  cellMaxR,
  cellX0,
  cellX1,
  cellY0,
  cellY1,
  changes,
  colCell,
  drawCount,
  drawHist,
  drawSum,
  examined,
  height,
  ink,
  list,
  refCount,
  refDist,
  refErr,
  refHist,
  refSum,
  refYX,
  rowCell,
  scratch,
  tests,
  visited,
  width
} from './layout'
import { View } from './views'

/**
 * Ink the first n pixels of `list` (the TypeScript side checked them), then lower the reference
 * errors. The pixels that were background are compacted to the front of `list`; returns how many.
 */
export function addPixels(n: i32): i32 {
  const count = inkPixels(n)
  if (count > 0) lowerErrors(count)
  return count
}

// The bounding box of the pixels the last inkPixels call inked.
let boxY0 = 0
let boxY1 = 0
let boxX0 = 0
let boxX1 = 0

/** p / W without a division: (p * ceil(2^40 / W)) >> 40 is exact for p < 2^24 and W <= 4096. */
function rowMagic(W: i32): u64 {
  return (((<u64>1) << 40) + <u64>(W - 1)) / <u64>W
}

function rowOf(p: i32, magic: u64): i32 {
  return <i32>((<u64>p * magic) >> 40)
}

/** Each new pixel's e(d) goes into the drawing histogram, the sum and its cell's maximum. */
function inkPixels(n: i32): i32 {
  const W = width
  const magic = rowMagic(W)
  const pixels = list()
  const drawing = ink()
  const dist = refDist()
  const rows = rowCell()
  const cols = colCell()
  const cellMax = cellMaxD()
  const hist = drawHist()
  let count = 0
  let sum: f64 = 0
  let y0 = height,
    y1 = -1,
    x0 = W,
    x1 = -1
  for (let k = 0; k < n; k++) {
    const p = pixels[k]
    if (drawing[p]) continue
    drawing[p] = 1
    pixels[count++] = p
    const e = <i32>dist[p]
    hist[e] = hist[e] + 1
    sum += <f64>e
    const y = rowOf(p, magic)
    const x = p - y * W
    const c = <i32>rows[y] * GRID + <i32>cols[x]
    if (e > cellMax[c]) cellMax[c] = e
    if (y < y0) y0 = y
    if (y > y1) y1 = y
    if (x < x0) x0 = x
    if (x > x1) x1 = x
  }
  boxY0 = y0
  boxY1 = y1
  boxX0 = x0
  boxX1 = x1
  drawCount()[0] += <f64>count
  drawSum()[0] += sum
  return count
}

/** L1 gap between two boxes (0 when they overlap): a lower bound on any distance between them. */
function gap(ay0: i32, ay1: i32, ax0: i32, ax1: i32, by0: i32, by1: i32, bx0: i32, bx1: i32): i32 {
  const dy = ay0 > by1 ? ay0 - by1 : by0 > ay1 ? by0 - ay1 : 0
  const dx = ax0 > bx1 ? ax0 - bx1 : bx0 > ax1 ? bx0 - ax1 : 0
  return dy + dx
}

// What one lowerErrors call adds up over the cells it visits.
let blocksExamined = 0
let tested = 0
let newlyFinite = 0
let changed = 0
let sum: f64 = 0

/**
 * After inking the n pixels at the front of `list` (bounding box in box*, whose area fits the
 * scratch window): e(r) = min(e(r), dist(r, list)) for every reference pixel that can improve.
 * dist(r, S) = |r - clamp(r)| + dt[clamp(r)], clamping to S's box; a cell (or block) whose gap
 * to the box is already >= its largest error is skipped whole.
 */
function lowerErrors(n: i32): void {
  const area = (boxX1 - boxX0 + 1) * (boxY1 - boxY0 + 1)
  windowDistances(n, area)
  const cellStarts = cellBlockStart()
  const cY0 = cellY0(),
    cY1 = cellY1(),
    cX0 = cellX0(),
    cX1 = cellX1()
  const cellMax = cellMaxR()
  blocksExamined = 0
  tested = 0
  newlyFinite = 0
  changed = 0
  sum = 0
  for (let c = 0; c < CELLS; c++) {
    const bFrom = cellStarts[c],
      bTo = cellStarts[c + 1]
    if (bFrom == bTo) continue
    if (gap(cY0[c], cY1[c], cX0[c], cX1[c], boxY0, boxY1, boxX0, boxX1) >= cellMax[c]) continue
    if (lowerCell(bFrom, bTo)) {
      // The cell's largest reference error is its blocks' largest.
      const bMax = blockMax()
      let m = 0
      for (let b = bFrom; b < bTo; b++) if (bMax[b] > m) m = bMax[b]
      cellMax[c] = m
    }
  }
  refCount()[0] += <f64>newlyFinite
  refSum()[0] += sum
  visited()[0] += <f64>area
  tests()[0] += <f64>tested
  examined()[0] += <f64>blocksExamined
  changes()[0] += <f64>changed
}

/** The distance transform of the n new pixels over their bounding box, in the scratch window. */
function windowDistances(n: i32, area: i32): void {
  const W = width
  const magic = rowMagic(W)
  const pixels = list()
  const dt = scratch()
  const ww = boxX1 - boxX0 + 1
  memory.fill(changetype<usize>(dt), 0xff, (<usize>area) << 1)
  for (let k = 0; k < n; k++) {
    const p = pixels[k]
    const y = rowOf(p, magic)
    dt[(y - boxY0) * ww + (p - y * W - boxX0)] = 0
  }
  distanceTransform(changetype<usize>(dt), ww, boxY1 - boxY0 + 1)
}

/**
 * Lower the errors of the reference pixels in blocks bFrom..bTo-1 (one cell) that can come
 * closer to the box, four pixels at a time (lanes past a block's end are read and written back
 * unchanged). Returns whether any block's largest error changed.
 */
function lowerCell(bFrom: i32, bTo: i32): bool {
  const y0 = boxY0,
    y1 = boxY1,
    x0 = boxX0,
    x1 = boxX1
  const bY0 = blockY0(),
    bY1 = blockY1(),
    bX0 = blockX0(),
    bX1 = blockX1()
  const bMax = blockMax()
  const starts = blockStart()
  const yx = refYX()
  const err = refErr()
  const dt = scratch()
  const hist = refHist()
  const Y0 = i32x4.splat(y0),
    Y1 = i32x4.splat(y1),
    X0 = i32x4.splat(x0),
    X1 = i32x4.splat(x1)
  const ww = i32x4.splat(x1 - x0 + 1)
  let cellChanged = false
  blocksExamined += bTo - bFrom
  for (let b = bFrom; b < bTo; b++) {
    const oldMax = bMax[b]
    if (gap(bY0[b], bY1[b], bX0[b], bX1[b], y0, y1, x0, x1) >= oldMax) continue
    const from = starts[b],
      to = starts[b + 1]
    tested += to - from
    let largest = i32x4.splat(0)
    let delta = i32x4.splat(0)
    for (let i = from; i < to; i += 4) {
      const packed = yx.vector(i)
      const ry = i32x4.shr_u(packed, YX_SHIFT)
      const rx = v128.and(packed, i32x4.splat(YX_MASK))
      // Clamp r to the box: the distance to the box, plus the transform at the clamped pixel.
      const cy = i32x4.min_s(i32x4.max_s(ry, Y0), Y1)
      const cx = i32x4.min_s(i32x4.max_s(rx, X0), X1)
      const at = i32x4.add(i32x4.mul(i32x4.sub(cy, Y0), ww), i32x4.sub(cx, X0))
      let inBox = i32x4.splat(<i32>dt[i32x4.extract_lane(at, 0)])
      inBox = i32x4.replace_lane(inBox, 1, <i32>dt[i32x4.extract_lane(at, 1)])
      inBox = i32x4.replace_lane(inBox, 2, <i32>dt[i32x4.extract_lane(at, 2)])
      inBox = i32x4.replace_lane(inBox, 3, <i32>dt[i32x4.extract_lane(at, 3)])
      const d = i32x4.add(i32x4.add(i32x4.abs(i32x4.sub(ry, cy)), i32x4.abs(i32x4.sub(rx, cx))), inBox)
      const e = err.vector(i)
      const inBlock = i32x4.gt_s(i32x4.splat(to - i), i32x4(0, 1, 2, 3))
      const lower = v128.and(i32x4.lt_s(d, e), inBlock)
      const next = v128.bitselect(d, e, lower)
      largest = i32x4.max_s(largest, v128.and(next, inBlock))
      const lanes = i32x4.bitmask(lower)
      if (lanes == 0) continue
      err.setVector(i, next)
      // Sums and counts: an error that was FAR enters the sum whole, the others by their change.
      const far = i32x4.eq(e, i32x4.splat(FAR))
      delta = i32x4.add(delta, v128.and(i32x4.sub(d, v128.andnot(e, far)), lower))
      newlyFinite += popcnt(i32x4.bitmask(v128.and(far, lower)))
      changed += popcnt(lanes)
      // The histogram, lane by lane (the hottest stores of the evaluator).
      if (lanes & 1) moveError(hist, i32x4.extract_lane(d, 0), i32x4.extract_lane(e, 0))
      if (lanes & 2) moveError(hist, i32x4.extract_lane(d, 1), i32x4.extract_lane(e, 1))
      if (lanes & 4) moveError(hist, i32x4.extract_lane(d, 2), i32x4.extract_lane(e, 2))
      if (lanes & 8) moveError(hist, i32x4.extract_lane(d, 3), i32x4.extract_lane(e, 3))
    }
    sum += <f64>(
      (i32x4.extract_lane(delta, 0) +
        i32x4.extract_lane(delta, 1) +
        i32x4.extract_lane(delta, 2) +
        i32x4.extract_lane(delta, 3))
    )
    const newMax = max(
      max(i32x4.extract_lane(largest, 0), i32x4.extract_lane(largest, 1)),
      max(i32x4.extract_lane(largest, 2), i32x4.extract_lane(largest, 3))
    )
    if (newMax != oldMax) {
      bMax[b] = newMax
      cellChanged = true
    }
  }
  return cellChanged
}

/** A reference error moves from e (FAR: none yet) down to d in the histogram. */
function moveError(hist: View<i32>, d: i32, e: i32): void {
  hist[d] = hist[d] + 1
  if (e != FAR) hist[e] = hist[e] - 1
}
