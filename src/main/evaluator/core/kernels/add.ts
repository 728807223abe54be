/* eslint-disable @typescript-eslint/ban-ts-comment */
// @ts-nocheck AssemblyScript: asc checks and compiles it (npm run build:wasm), tsc does not know its types.
//
// Adding ink, the hot path of the streaming evaluator (see streaming-evaluator.ts for the method):
// the new pixels get e(d) = dist(d, R) from the reference's distance map, then every reference
// pixel that can come closer to the drawing has its e(r) lowered, from one distance transform of
// the new pixels over their bounding box.
import { distanceTransform } from './distance-transform'
import {
  FAR,
  GRID,
  CELLS,
  HIST_SHIFT,
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
  drawCoarse,
  drawCount,
  drawFine,
  drawSum,
  examined,
  height,
  ink,
  list,
  refCoarse,
  refCount,
  refDist,
  refErr,
  refFine,
  refSum,
  refYX,
  rowCell,
  scratch,
  tests,
  visited,
  width
} from './layout'

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
  const fine = drawFine()
  const coarse = drawCoarse()
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
    fine[e] = fine[e] + 1
    coarse[e >> HIST_SHIFT] = coarse[e >> HIST_SHIFT] + 1
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

/**
 * After inking the n pixels at the front of `list` (bounding box in box*, whose area fits the
 * scratch window): e(r) = min(e(r), dist(r, list)) for every reference pixel that can improve.
 * dist(r, S) = |r - clamp(r)| + dt[clamp(r)], clamping to S's box; a cell (or block) whose gap
 * to the box is already >= its largest error is skipped whole.
 */
function lowerErrors(n: i32): void {
  const W = width
  const magic = rowMagic(W)
  const y0 = boxY0,
    y1 = boxY1,
    x0 = boxX0,
    x1 = boxX1
  const pixels = list()
  // The window: FAR everywhere, 0 at the new pixels, then the transform.
  const ww = x1 - x0 + 1
  const area = ww * (y1 - y0 + 1)
  const dt = scratch()
  memory.fill(changetype<usize>(dt), 0xff, (<usize>area) << 1)
  for (let k = 0; k < n; k++) {
    const p = pixels[k]
    const y = rowOf(p, magic)
    dt[(y - y0) * ww + (p - y * W - x0)] = 0
  }
  distanceTransform(changetype<usize>(dt), ww, y1 - y0 + 1)

  const yx = refYX()
  const err = refErr()
  const starts = blockStart()
  const bY0 = blockY0(),
    bY1 = blockY1(),
    bX0 = blockX0(),
    bX1 = blockX1()
  const bMax = blockMax()
  const cellStarts = cellBlockStart()
  const cY0 = cellY0(),
    cY1 = cellY1(),
    cX0 = cellX0(),
    cX1 = cellX1()
  const cellMax = cellMaxR()
  const fine = refFine()
  const coarse = refCoarse()
  let sum: f64 = 0
  let newlyFinite = 0,
    tested = 0,
    blocksExamined = 0,
    changed = 0
  for (let c = 0; c < CELLS; c++) {
    const bFrom = cellStarts[c],
      bTo = cellStarts[c + 1]
    if (bFrom == bTo) continue
    if (gap(cY0[c], cY1[c], cX0[c], cX1[c], y0, y1, x0, x1) >= cellMax[c]) continue
    let cellChanged = false
    for (let b = bFrom; b < bTo; b++) {
      blocksExamined++
      const oldMax = bMax[b]
      if (gap(bY0[b], bY1[b], bX0[b], bX1[b], y0, y1, x0, x1) >= oldMax) continue
      const from = starts[b],
        to = starts[b + 1]
      tested += to - from
      let newMax = 0
      let delta = 0
      for (let i = from; i < to; i++) {
        const v = yx[i]
        const ry = v >>> YX_SHIFT,
          rx = v & YX_MASK
        // Clamp r to the box: the distance to the box, plus the transform at the clamped pixel.
        let d = 0
        let cy = ry
        if (ry < y0) {
          cy = y0
          d = y0 - ry
        } else if (ry > y1) {
          cy = y1
          d = ry - y1
        }
        let cx = rx
        if (rx < x0) {
          cx = x0
          d += x0 - rx
        } else if (rx > x1) {
          cx = x1
          d += rx - x1
        }
        d += <i32>dt[(cy - y0) * ww + (cx - x0)]
        let e = err[i]
        if (d < e) {
          // The histogram update, written out (the hottest path of the evaluator).
          fine[d] = fine[d] + 1
          coarse[d >> HIST_SHIFT] = coarse[d >> HIST_SHIFT] + 1
          if (e == FAR) {
            newlyFinite++
            delta += d
          } else {
            fine[e] = fine[e] - 1
            coarse[e >> HIST_SHIFT] = coarse[e >> HIST_SHIFT] - 1
            delta += d - e
          }
          err[i] = d
          e = d
          changed++
        }
        if (e > newMax) newMax = e
      }
      sum += <f64>delta
      if (newMax != oldMax) {
        bMax[b] = newMax
        cellChanged = true
      }
    }
    // The cell's largest reference error is its blocks' largest.
    if (cellChanged) {
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
