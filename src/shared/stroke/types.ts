// A stroke as it travels from the canvas to the main side: points, not pixels. The outline of a
// stroke is computed by one shared function (for painting and for rasterising into the frame).

export type Tool = 'pen' | 'eraser'

export interface StrokePoint {
  /** Position in frame pixels (0..W, 0..H), fractional. */
  x: number
  y: number
  /**
   * 0..1, after the pressure curve: the share of the way from a hairline to the tool's size.
   * A mouse, a finger or a pen that senses no pressure records 1 (the tool's full size).
   */
  pressure: number
  /** Degrees, -90..90, 0 when the device has no tilt. */
  tiltX: number
  tiltY: number
  /** Milliseconds since the stroke began. */
  t: number
}

export interface Stroke {
  tool: Tool
  /** Nominal diameter in frame pixels at full pressure. */
  size: number
  points: StrokePoint[]
}
