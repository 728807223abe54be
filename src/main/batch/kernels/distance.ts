// The batch's two hot loops (src/main/batch/full-score.ts): the exact L1 distance transform of a
// frame whose ink is read straight off an image's stored bytes. The memory is the caller's; every
// pointer and size is checked on the TypeScript side before it gets here (no bounds checks here).

/** "No ink in reach", larger than any distance in a frame (sides are at most 4096). */
const FAR: i32 = 0xffff

/**
 * Pixel (y, x) is ink iff the byte at data + offset + y * rowStride + x * pixelStride is not
 * `blank`. Writes the distance to the nearest ink in the same row into the u16 array at `out`
 * (FAR where the row has none) and the ink pixels (y * w + x, ascending) into the i32 array at
 * `list`; returns how many there are.
 */
export function seedRows(
  data: usize,
  offset: i32,
  rowStride: i32,
  pixelStride: i32,
  blank: i32,
  out: usize,
  list: usize,
  w: i32,
  h: i32
): i32 {
  let count = 0
  const blanks = i8x16.splat(<i8>blank)
  const ramp = v128(0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0)
  const far = i16x8.splat(<i16>FAR)
  const groupBytes = <usize>(pixelStride << 4)
  for (let y = 0; y < h; y++) {
    const row = out + ((<usize>(y * w)) << 1)
    let src = data + <usize>(offset + y * rowStride)
    // Distance to the last ink on the left; at each ink, the run since the previous one is
    // rewritten from its midpoint on with the distance to the right.
    let last = -1
    let x = 0
    while (x < w) {
      // Most of a drawing is paper: sixteen pixels whose bytes (all of them, so every channel
      // the rule reads) are the blank value are written eight at a time.
      if (x + 16 <= w && pixelStride <= 4 && allBlank(src, pixelStride, blanks)) {
        const at = row + ((<usize>x) << 1)
        if (last < 0) {
          v128.store(at, far)
          v128.store(at + 16, far)
        } else {
          const base = i16x8.add(i16x8.splat(<i16>(x - last)), ramp)
          v128.store(at, base)
          v128.store(at + 16, i16x8.add(base, i16x8.splat(8)))
        }
        x += 16
        src += groupBytes
        continue
      }
      if (<i32>load<u8>(src) != blank) {
        store<i32>(list + ((<usize>count) << 2), y * w + x)
        count++
        const from = last < 0 ? 0 : (last + x + 1) >> 1
        for (let q = from; q < x; q++) store<u16>(row + ((<usize>q) << 1), <u16>(x - q))
        store<u16>(row + ((<usize>x) << 1), 0)
        last = x
      } else {
        store<u16>(row + ((<usize>x) << 1), <u16>(last < 0 ? FAR : x - last))
      }
      x++
      src += <usize>pixelStride
    }
  }
  return count
}

/** Are the 16 * stride bytes from `at` all the blank value? (The caller leaves room past the data.) */
function allBlank(at: usize, stride: i32, blanks: v128): bool {
  let same = i8x16.eq(v128.load(at), blanks)
  if (stride > 1) same = v128.and(same, i8x16.eq(v128.load(at + 16), blanks))
  if (stride > 2) same = v128.and(same, i8x16.eq(v128.load(at + 32), blanks))
  if (stride > 3) same = v128.and(same, i8x16.eq(v128.load(at + 48), blanks))
  return i8x16.all_true(same)
}

/**
 * The column half of the transform, in place over the u16 array at `out` (w x h): a pass down and
 * a pass up, d = min(d, d of the neighbour + 1), eight pixels of a row at a time. FAR + 1 stays
 * FAR (saturating add), so a frame with no ink at all stays FAR everywhere.
 */
export function columns(out: usize, w: i32, h: i32): void {
  const stride = (<usize>w) << 1
  for (let y = 1; y < h; y++) fromRow(out + <usize>y * stride, out + <usize>(y - 1) * stride, w)
  for (let y = h - 2; y >= 0; y--) fromRow(out + <usize>y * stride, out + <usize>(y + 1) * stride, w)
}

/** row[x] = min(row[x], other[x] + 1) for the w pixels of a row. */
function fromRow(row: usize, other: usize, w: i32): void {
  const one = i16x8.splat(1)
  let x = 0
  for (; x + 8 <= w; x += 8) {
    const at = (<usize>x) << 1
    v128.store(row + at, i16x8.min_u(v128.load(row + at), i16x8.add_sat_u(v128.load(other + at), one)))
  }
  for (; x < w; x++) {
    const at = (<usize>x) << 1
    const t = <i32>load<u16>(other + at) + 1
    if (t < <i32>load<u16>(row + at)) store<u16>(row + at, <u16>t)
  }
}
