// The similarity transform between the drawing and the reference, as the search sees it.
//
// The drawing is taken to be the reference turned by `theta` (clockwise on screen: y points
// down), scaled by `scale` and shifted, with the turn and scale about the drawing's own ink
// centroid c, and (dx, dy) the offset of c from the reference point it stands for:
//   F (reference -> drawing):  F(q) = c + scale * R(theta) (q - c + d)
//   G (drawing -> reference):  G(p) = c - d + R(-theta) (p - c) / scale
// so G(c) = c - d. dx > 0: the drawing sits to the right; dy > 0: below; scale < 1: smaller.

export interface Pivot {
  x: number
  y: number
}

export interface SimilarityParams {
  dx: number
  dy: number
  /** ln(scale): the search steps in it so that too small and too large weigh alike. */
  logScale: number
  /** Radians, clockwise on screen. */
  theta: number
}

/** x' = a x + b y + tx, y' = c x + d y + ty */
export interface Affine {
  a: number
  b: number
  c: number
  d: number
  tx: number
  ty: number
}

export const IDENTITY: SimilarityParams = { dx: 0, dy: 0, logScale: 0, theta: 0 }

/** G: a drawing position to the reference position it is taken to stand for. */
export function drawingToReference(params: SimilarityParams, pivot: Pivot): Affine {
  const k = Math.exp(-params.logScale)
  const cos = Math.cos(params.theta) * k
  const sin = Math.sin(params.theta) * k
  // R(-theta) / scale = [[cos, sin], [-sin, cos]] (scaled)
  return {
    a: cos,
    b: sin,
    c: -sin,
    d: cos,
    tx: pivot.x - params.dx - (cos * pivot.x + sin * pivot.y),
    ty: pivot.y - params.dy - (-sin * pivot.x + cos * pivot.y)
  }
}

/** F = G^-1: a reference position to where the drawing puts it. */
export function referenceToDrawing(params: SimilarityParams, pivot: Pivot): Affine {
  const k = Math.exp(params.logScale)
  const cos = Math.cos(params.theta) * k
  const sin = Math.sin(params.theta) * k
  // scale * R(theta) = [[cos, -sin], [sin, cos]] (scaled)
  const ux = params.dx - pivot.x
  const uy = params.dy - pivot.y
  return {
    a: cos,
    b: -sin,
    c: sin,
    d: cos,
    tx: pivot.x + cos * ux - sin * uy,
    ty: pivot.y + sin * ux + cos * uy
  }
}

/** A similarity as reported (contract units): offset in pixels, scale, degrees clockwise. */
export interface Move {
  dx: number
  dy: number
  scale: number
  rotationDeg: number
}

export function moveOf(params: SimilarityParams): Move {
  return { dx: params.dx, dy: params.dy, scale: Math.exp(params.logScale), rotationDeg: (params.theta * 180) / Math.PI }
}

export function paramsOf(move: Move): SimilarityParams {
  return { dx: move.dx, dy: move.dy, logScale: Math.log(move.scale), theta: (move.rotationDeg * Math.PI) / 180 }
}
