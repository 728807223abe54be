// Fitting lines and ellipses to ink pixels (their centres), for the drills' own measures.
import type { Point } from './shapes.ts'

/** The pixel centres of a mask's ink. */
export function inkPoints(mask: Uint8Array, width: number): Point[] {
  const out: Point[] = []
  for (let p = 0; p < mask.length; p++) if (mask[p]) out.push({ x: (p % width) + 0.5, y: Math.floor(p / width) + 0.5 })
  return out
}

export interface LineFit {
  /** A point on the line (the centroid) and the unit direction (x right, y down). */
  cx: number
  cy: number
  ux: number
  uy: number
  /** The direction as seen on screen, counterclockwise from right, in (-90, 90]. */
  angleDeg: number
  /** Root mean square distance of the points from the line: how far from straight. */
  rmsPx: number
  /** The points' extent along the line: smallest and largest projection from the centroid. */
  from: number
  to: number
  count: number
}

/** Total least squares: the line that minimises the squared distances across it. */
export function fitLine(points: readonly Point[]): LineFit | null {
  const n = points.length
  if (n < 2) return null
  let cx = 0,
    cy = 0
  for (const p of points) {
    cx += p.x
    cy += p.y
  }
  cx /= n
  cy /= n
  let sxx = 0,
    syy = 0,
    sxy = 0
  for (const p of points) {
    const dx = p.x - cx,
      dy = p.y - cy
    sxx += dx * dx
    syy += dy * dy
    sxy += dx * dy
  }
  // The principal axis of the scatter.
  const theta = 0.5 * Math.atan2(2 * sxy, sxx - syy)
  const ux = Math.cos(theta),
    uy = Math.sin(theta)
  let from = Infinity,
    to = -Infinity,
    across = 0
  for (const p of points) {
    const t = (p.x - cx) * ux + (p.y - cy) * uy
    const d = -(p.x - cx) * uy + (p.y - cy) * ux
    if (t < from) from = t
    if (t > to) to = t
    across += d * d
  }
  return { cx, cy, ux, uy, angleDeg: screenAngle(ux, uy), rmsPx: Math.sqrt(across / n), from, to, count: n }
}

/** The undirected screen angle of direction (ux, uy), in (-90, 90]. */
export function screenAngle(ux: number, uy: number): number {
  let a = (Math.atan2(-uy, ux) * 180) / Math.PI
  if (a <= -90) a += 180
  if (a > 90) a -= 180
  return a
}

/** The difference of two undirected angles, wrapped into (-90, 90]. */
export function angleDifference(a: number, b: number): number {
  let d = (a - b) % 180
  if (d <= -90) d += 180
  if (d > 90) d -= 180
  return d
}

export interface EllipseFit {
  cx: number
  cy: number
  /** Semi-axes, major first. */
  rx: number
  ry: number
  /** The major axis as seen on screen, counterclockwise from right, in [0, 180). */
  tiltDeg: number
}

/**
 * Direct least-squares ellipse fit (Fitzgibbon, Pilu and Fisher 1999, in the numerically stable
 * form of Halir and Flusser 1998): the conic a x² + b xy + c y² + d x + e y + f = 0 with
 * 4ac - b² = 1 closest to the points in algebraic distance. Points are centred and scaled first.
 */
export function fitEllipse(points: readonly Point[]): EllipseFit | null {
  const n = points.length
  if (n < 6) return null
  let mx = 0,
    my = 0
  for (const p of points) {
    mx += p.x
    my += p.y
  }
  mx /= n
  my /= n
  let scale = 0
  for (const p of points) scale += Math.hypot(p.x - mx, p.y - my)
  scale = scale / n || 1
  // Scatter matrices of the quadratic part (x², xy, y²) and the linear part (x, y, 1).
  const S1 = zeros(3),
    S2 = zeros(3),
    S3 = zeros(3)
  for (const p of points) {
    const x = (p.x - mx) / scale,
      y = (p.y - my) / scale
    const q = [x * x, x * y, y * y],
      l = [x, y, 1]
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) {
        S1[i][j] += q[i] * q[j]
        S2[i][j] += q[i] * l[j]
        S3[i][j] += l[i] * l[j]
      }
  }
  const S3inv = invert3(S3)
  if (!S3inv) return null
  // T = -S3⁻¹ S2ᵀ;  M = C1⁻¹ (S1 + S2 T), with C1⁻¹ = [[0, 0, 1/2], [0, -1, 0], [1/2, 0, 0]].
  const T = mul(scaleM(S3inv, -1), transpose(S2))
  const R = add(S1, mul(S2, T))
  const M = [
    [R[2][0] / 2, R[2][1] / 2, R[2][2] / 2],
    [-R[1][0], -R[1][1], -R[1][2]],
    [R[0][0] / 2, R[0][1] / 2, R[0][2] / 2]
  ]
  let best: number[] | null = null
  for (const lambda of realEigenvalues3(M)) {
    const v = nullVector3(M, lambda)
    if (!v) continue
    const cond = 4 * v[0] * v[2] - v[1] * v[1]
    if (cond > 0) {
      best = v
      break
    }
  }
  if (!best) return null
  const [a, b, c] = best
  const [d, e, f] = mul(
    T,
    best.map((v) => [v])
  ).map((r) => r[0])
  return conicToEllipse(a, b, c, d, e, f, mx, my, scale)
}

/** The centre, semi-axes and tilt of the ellipse a x² + b xy + c y² + d x + e y + f = 0 (scaled coordinates). */
function conicToEllipse(
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
  f: number,
  mx: number,
  my: number,
  scale: number
): EllipseFit | null {
  const den = b * b - 4 * a * c
  if (den >= 0) return null
  const x0 = (2 * c * d - b * e) / den
  const y0 = (2 * a * e - b * d) / den
  // The value of the conic at the centre, and the quadratic form's eigenvalues.
  const g = a * x0 * x0 + b * x0 * y0 + c * y0 * y0 + d * x0 + e * y0 + f
  const mean = (a + c) / 2,
    diff = Math.hypot((a - c) / 2, b / 2)
  const l1 = mean - diff,
    l2 = mean + diff
  if (!(-g / l1 > 0 && -g / l2 > 0)) return null
  const s1 = Math.sqrt(-g / l1),
    s2 = Math.sqrt(-g / l2)
  // The quadratic form is largest (eigenvalue l2) along theta2 = atan2(b, a - c) / 2, smallest
  // (l1) across it; the major axis is whichever direction has the longer semi-axis.
  const theta2 = 0.5 * Math.atan2(b, a - c)
  const phi = s1 >= s2 ? theta2 + Math.PI / 2 : theta2
  let tilt = (Math.atan2(-Math.sin(phi), Math.cos(phi)) * 180) / Math.PI
  tilt = ((tilt % 180) + 180) % 180
  const major = Math.max(s1, s2),
    minor = Math.min(s1, s2)
  return { cx: mx + x0 * scale, cy: my + y0 * scale, rx: major * scale, ry: minor * scale, tiltDeg: tilt }
}

type M3 = number[][]
const zeros = (n: number): M3 => Array.from({ length: n }, () => new Array<number>(n).fill(0))
const transpose = (m: M3): M3 => m[0].map((_, j) => m.map((r) => r[j]))
const scaleM = (m: M3, s: number): M3 => m.map((r) => r.map((v) => v * s))
const add = (a: M3, b: M3): M3 => a.map((r, i) => r.map((v, j) => v + b[i][j]))
function mul(a: M3, b: M3): M3 {
  return a.map((r) => b[0].map((_, j) => r.reduce((s, v, k) => s + v * b[k][j], 0)))
}

function invert3(m: M3): M3 | null {
  const [[a, b, c], [d, e, f], [g, h, i]] = m
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g
  const det = a * A + b * B + c * C
  if (Math.abs(det) < 1e-12) return null
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det]
  ]
}

/** The real roots of det(M - λI) = 0 (a cubic), largest first. */
function realEigenvalues3(m: M3): number[] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m
  // λ³ + p λ² + q λ + r = 0
  const p = -(a + e + i)
  const q = a * e + a * i + e * i - b * d - c * g - f * h
  const r = -(a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g))
  // Depressed cubic t³ + P t + Q = 0 with λ = t - p / 3.
  const P = q - (p * p) / 3
  const Q = (2 * p * p * p) / 27 - (p * q) / 3 + r
  const shift = -p / 3
  const disc = (Q * Q) / 4 + (P * P * P) / 27
  let roots: number[]
  if (disc > 0) {
    const s = Math.sqrt(disc)
    roots = [Math.cbrt(-Q / 2 + s) + Math.cbrt(-Q / 2 - s)]
  } else if (P === 0) {
    roots = [0]
  } else {
    const rho = Math.sqrt(-P / 3)
    const phi = Math.acos(Math.max(-1, Math.min(1, (3 * Q) / (2 * P * rho))))
    roots = [0, 1, 2].map((k) => 2 * rho * Math.cos(phi / 3 - (2 * Math.PI * k) / 3))
  }
  return roots.map((t) => t + shift).sort((x, y) => y - x)
}

/** A unit vector v with (M - λI) v = 0: the largest cross product of two rows. */
function nullVector3(m: M3, lambda: number): number[] | null {
  const rows = m.map((r, i) => r.map((v, j) => (i === j ? v - lambda : v)))
  const cross = (u: number[], w: number[]): number[] => [
    u[1] * w[2] - u[2] * w[1],
    u[2] * w[0] - u[0] * w[2],
    u[0] * w[1] - u[1] * w[0]
  ]
  let best: number[] | null = null,
    size = 0
  for (const [i, j] of [
    [0, 1],
    [0, 2],
    [1, 2]
  ]) {
    const v = cross(rows[i], rows[j])
    const s = Math.hypot(...v)
    if (s > size) {
      size = s
      best = v
    }
  }
  return best && size > 0 ? best.map((v) => v / size) : null
}
