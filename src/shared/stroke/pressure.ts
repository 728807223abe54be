// Pen pressure as the artist set it up: a curve from what the pen reports (0..1) to how much of
// the tool's width a point gets. The curve is applied in the studio to each point before the
// stroke is painted or sent, so the points carry the pressure the outline uses, on both sides.
// Pure: no DOM.

export const PRESSURE_CURVES = ['soft', 'linear', 'firm'] as const
export type PressureCurve = (typeof PRESSURE_CURVES)[number]

/**
 * p ** exponent: soft gives more width for a light touch (a pen that feels soft), firm asks for
 * more pressure. All three keep 0 at 0 and 1 at 1, and are increasing.
 */
const EXPONENT: Record<PressureCurve, number> = { soft: 0.5, linear: 1, firm: 2 }

/** The pressure a point carries for a raw pen pressure under a curve (NaN and out-of-range clamped). */
export function curvePressure(curve: PressureCurve, raw: number): number {
  const p = Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0
  return curve === 'linear' ? p : p ** EXPONENT[curve]
}

/**
 * What devices without pressure report while a button is down: 0.5 (the Pointer Events
 * default), 0 or 1 (some drivers, a tablet in mouse mode). A pen whose every sample is one of
 * these has not shown that it senses pressure.
 */
export function isPlaceholderPressure(p: number): boolean {
  return p === 0 || p === 0.5 || p === 1
}
