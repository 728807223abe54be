// Stroke points as a BLOB, in one of two codecs (the journal's points_codec column says which):
//   0 (RAW_F64): six little-endian Float64 per point (x, y, pressure, tiltX, tiltY, t): any
//     doubles at all. Every stroke written before points were snapped is stored so.
//   1 (LATTICE): points on the lattice of src/shared/stroke/snap.ts (every stroke the studio is
//     sent now): a varint count, then per field the integers value * steps as zigzag varints of
//     their second differences (a smooth pen line has small ones): about 9 bytes a point
//     instead of 48.
// Recovery re-rasterises the drawing from these points, so both come back bit-identical: a
// stroke that is not on the lattice is stored raw. Reading checks every byte and every number
// (a damaged row is a RangeError here, a storage problem for the caller), never trusts the BLOB.
import { POINT_FIELDS, POINT_STEPS } from '#shared/stroke/snap.ts'
import { STROKE_BOUNDS } from '#shared/stroke/limits.ts'
import type { StrokePoint } from '#shared/stroke/types.ts'

export const RAW_F64 = 0
export const LATTICE = 1
export type PointsCodec = typeof RAW_F64 | typeof LATTICE

const FIELDS = 6
export const BYTES_PER_POINT = FIELDS * 8
/** Lattice integers stay below this, so second differences stay exact in doubles. */
const MAX_UNITS = 2 ** 40
/** No stroke has more points than this (the API allows far fewer): a larger count is damage. */
const MAX_POINTS = 1_000_000

export interface PackedPoints {
  codec: PointsCodec
  bytes: Uint8Array
}

export function packRaw(points: readonly StrokePoint[]): Uint8Array {
  const bytes = new Uint8Array(points.length * BYTES_PER_POINT)
  const view = new DataView(bytes.buffer)
  let o = 0
  for (const p of points) {
    view.setFloat64(o, p.x, true)
    view.setFloat64(o + 8, p.y, true)
    view.setFloat64(o + 16, p.pressure, true)
    view.setFloat64(o + 24, p.tiltX, true)
    view.setFloat64(o + 32, p.tiltY, true)
    view.setFloat64(o + 40, p.t, true)
    o += BYTES_PER_POINT
  }
  return bytes
}

/** Throws if the BLOB is not a whole number of points (a damaged row). */
export function unpackRaw(bytes: Uint8Array): StrokePoint[] {
  if (bytes.length % BYTES_PER_POINT !== 0) {
    throw new RangeError(`a stroke's points are ${bytes.length} bytes, not a multiple of ${BYTES_PER_POINT}`)
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const points: StrokePoint[] = new Array(bytes.length / BYTES_PER_POINT)
  for (let i = 0, o = 0; i < points.length; i++, o += BYTES_PER_POINT) {
    points[i] = {
      x: view.getFloat64(o, true),
      y: view.getFloat64(o + 8, true),
      pressure: view.getFloat64(o + 16, true),
      tiltX: view.getFloat64(o + 24, true),
      tiltY: view.getFloat64(o + 32, true),
      t: view.getFloat64(o + 40, true)
    }
  }
  return points
}

/** A growable byte buffer of unsigned LEB128 varints (arithmetic, not bit operations: up to 2^53). */
class VarintWriter {
  bytes = new Uint8Array(64)
  length = 0
  write(value: number): void {
    if (this.length + 8 > this.bytes.length) {
      const next = new Uint8Array(this.bytes.length * 2)
      next.set(this.bytes)
      this.bytes = next
    }
    let v = value
    while (v >= 128) {
      this.bytes[this.length++] = (v % 128) + 128
      v = Math.floor(v / 128)
    }
    this.bytes[this.length++] = v
  }
}

const zigzag = (v: number): number => (v < 0 ? -2 * v - 1 : 2 * v)
const unzigzag = (u: number): number => (u % 2 === 1 ? -(u + 1) / 2 : u / 2)

/** The point's fields as lattice integers, or null if any is off the lattice (or -0, or too large). */
function latticeUnits(points: readonly StrokePoint[]): Float64Array[] | null {
  const units = POINT_FIELDS.map(() => new Float64Array(points.length))
  for (let f = 0; f < POINT_FIELDS.length; f++) {
    const field = POINT_FIELDS[f]
    const steps = POINT_STEPS[field]
    const column = units[f]
    for (let i = 0; i < points.length; i++) {
      const v = points[i][field]
      const k = v * steps
      if (!Number.isInteger(k) || Math.abs(k) > MAX_UNITS || Object.is(v, -0)) return null
      column[i] = k
    }
  }
  return units
}

/** The smallest exact form: LATTICE when every value is on the lattice, else RAW_F64. */
export function packPoints(points: readonly StrokePoint[]): PackedPoints {
  const units = latticeUnits(points)
  if (!units) return { codec: RAW_F64, bytes: packRaw(points) }
  const out = new VarintWriter()
  out.write(points.length)
  for (const column of units) {
    for (let i = 0; i < column.length; i++) {
      const predicted = i === 0 ? 0 : i === 1 ? column[0] : 2 * column[i - 1] - column[i - 2]
      out.write(zigzag(column[i] - predicted))
    }
  }
  return { codec: LATTICE, bytes: out.bytes.slice(0, out.length) }
}

function unpackLattice(bytes: Uint8Array): StrokePoint[] {
  let at = 0
  const read = (): number => {
    let value = 0
    let scale = 1
    for (;;) {
      if (at >= bytes.length) throw new RangeError(`a stroke's points end early (${bytes.length} bytes)`)
      const b = bytes[at++]
      value += (b & 127) * scale
      if (b < 128) return value
      scale *= 128
      if (scale > 2 ** 49) throw new RangeError("a stroke's points hold a number too large to be one")
    }
  }
  const n = read()
  if (n > MAX_POINTS) throw new RangeError(`a stroke's points claim ${n} points`)
  const points: StrokePoint[] = Array.from({ length: n }, () => ({ x: 0, y: 0, pressure: 0, tiltX: 0, tiltY: 0, t: 0 }))
  for (const field of POINT_FIELDS) {
    const steps = POINT_STEPS[field]
    let previous = 0
    let beforePrevious = 0
    for (let i = 0; i < n; i++) {
      const predicted = i === 0 ? 0 : i === 1 ? previous : 2 * previous - beforePrevious
      const k = predicted + unzigzag(read())
      if (Math.abs(k) > MAX_UNITS) throw new RangeError(`a stroke's ${field} is out of range`)
      points[i][field] = k / steps + 0
      beforePrevious = previous
      previous = k
    }
  }
  if (at !== bytes.length) throw new RangeError(`a stroke's points have ${bytes.length - at} bytes too many`)
  return points
}

/** The points of a BLOB in `codec`; throws RangeError for anything that is not a stroke. */
export function unpackPoints(codec: number, bytes: Uint8Array): StrokePoint[] {
  if (codec === RAW_F64) return unpackRaw(bytes)
  if (codec === LATTICE) return unpackLattice(bytes)
  throw new RangeError(`a stroke's points are in an unknown format (${codec})`)
}

/**
 * Why stored stroke numbers cannot be a stroke the studio accepted (NaN, infinite, out of range),
 * or null if they can.
 */
export function strokeProblem(size: number, points: readonly StrokePoint[]): string | null {
  const inRange = (v: number, [lo, hi]: readonly [number, number]): boolean => Number.isFinite(v) && v >= lo && v <= hi
  if (!inRange(size, STROKE_BOUNDS.size)) return `its size is ${size}`
  if (points.length === 0) return 'it has no points'
  for (let i = 0; i < points.length; i++) {
    for (const field of POINT_FIELDS) {
      const v = points[i][field]
      if (!inRange(v, STROKE_BOUNDS[field])) return `point ${i + 1} has ${field} ${v}`
    }
  }
  return null
}
