// Line drawings for the alignment tests, drawn here independently of the code under test:
// polylines rasterised with a round brush, and the same polylines moved by a known similarity
// transform before they are rasterised (so a moved drawing is a drawing, not a warped image).
export type Point = [number, number]

export interface Move {
  dx: number
  dy: number
  scale: number
  /** Clockwise on screen (y points down). */
  rotationDeg: number
}

/** A still-life-like reference: an ellipse, a box in perspective and a curve, scaled to the frame. */
export function referenceLines(width: number, height: number): Point[][] {
  const s = Math.min(width, height)
  const cx = width / 2
  const cy = height / 2
  const ellipse: Point[] = []
  for (let t = 0; t <= 72; t++) {
    const a = (t / 72) * 2 * Math.PI
    ellipse.push([cx - 0.12 * s + 0.2 * s * Math.cos(a), cy + 0.05 * s + 0.14 * s * Math.sin(a)])
  }
  const box: Point[] = [
    [cx + 0.05 * s, cy - 0.3 * s],
    [cx + 0.33 * s, cy - 0.26 * s],
    [cx + 0.33 * s, cy + 0.05 * s],
    [cx + 0.05 * s, cy + 0.02 * s],
    [cx + 0.05 * s, cy - 0.3 * s]
  ]
  const curve: Point[] = []
  for (let t = 0; t <= 40; t++) {
    const u = t / 40
    curve.push([cx - 0.35 * s + 0.65 * s * u, cy + 0.32 * s - 0.08 * s * Math.sin(u * Math.PI * 2)])
  }
  return [
    ellipse,
    box,
    curve,
    [
      [cx - 0.3 * s, cy - 0.3 * s],
      [cx - 0.1 * s, cy - 0.18 * s]
    ]
  ]
}

/** Rasterise polylines with a round brush of `radius` pixels into a frame mask. */
export function rasterise(lines: Point[][], width: number, height: number, radius: number): Uint8Array {
  const mask = new Uint8Array(width * height)
  const r = Math.ceil(radius + 0.5)
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const [x0, y0] = line[i]
      const [x1, y1] = line[i + 1]
      const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 2) + 1
      for (let k = 0; k <= steps; k++) {
        const x = x0 + ((x1 - x0) * k) / steps
        const y = y0 + ((y1 - y0) * k) / steps
        for (let py = Math.floor(y) - r; py <= Math.ceil(y) + r; py++)
          for (let px = Math.floor(x) - r; px <= Math.ceil(x) + r; px++)
            if (px >= 0 && py >= 0 && px < width && py < height && Math.hypot(px - x, py - y) <= radius + 0.5)
              mask[py * width + px] = 1
      }
    }
  }
  return mask
}

export function pixelsOf(mask: Uint8Array): Int32Array {
  const out: number[] = []
  for (let p = 0; p < mask.length; p++) if (mask[p]) out.push(p)
  return Int32Array.from(out)
}

export function centroid(pixels: ArrayLike<number>, width: number): Point {
  let sx = 0
  let sy = 0
  for (let i = 0; i < pixels.length; i++) {
    sx += pixels[i] % width
    sy += Math.floor(pixels[i] / width)
  }
  return [sx / pixels.length, sy / pixels.length]
}

/** F(q) = c + t + scale R(theta) (q - c): the move about the reference's ink centroid c. */
export function moveLines(lines: Point[][], move: Move, c: Point): Point[][] {
  const th = (move.rotationDeg * Math.PI) / 180
  const cos = Math.cos(th) * move.scale
  const sin = Math.sin(th) * move.scale
  return lines.map((line) =>
    line.map(([x, y]): Point => {
      const vx = x - c[0]
      const vy = y - c[1]
      return [c[0] + move.dx + cos * vx - sin * vy, c[1] + move.dy + sin * vx + cos * vy]
    })
  )
}

/**
 * The offset the analysis must report for a move: it measures the shift at the drawing's own
 * ink centroid p, as p - F^-1(p) (which is the move's (dx, dy) when p = F(c) exactly; a
 * rasterised drawing's centroid is off that by a fraction of a pixel).
 */
export function expectedOffset(move: Move, c: Point, p: Point): Point {
  const th = (move.rotationDeg * Math.PI) / 180
  const vx = p[0] - c[0] - move.dx
  const vy = p[1] - c[1] - move.dy
  const back: Point = [
    c[0] + (Math.cos(th) * vx + Math.sin(th) * vy) / move.scale,
    c[1] + (-Math.sin(th) * vx + Math.cos(th) * vy) / move.scale
  ]
  return [p[0] - back[0], p[1] - back[1]]
}
