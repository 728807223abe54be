// Pen strokes as a tablet delivers them, through CDP (real input events with pointerType 'pen',
// force and tilt). No DOM types here: the latency benchmark (a Node script) uses it too.
import type { CDPSession } from 'playwright-core'

export interface PenPoint {
  /** Frame pixels (the evaluation frame, 500 x 500 by default). */
  x: number
  y: number
  force?: number
  tiltX?: number
  tiltY?: number
}

/** Where the canvas is on the page (CSS pixels) and the frame it shows. */
export interface CanvasBox {
  left: number
  top: number
  width: number
  height: number
  frame: { width: number; height: number }
}

/** Frame pixels -> CSS pixels on the page. */
export function toPage(g: CanvasBox, p: { x: number; y: number }): { x: number; y: number } {
  return { x: g.left + (p.x / g.frame.width) * g.width, y: g.top + (p.y / g.frame.height) * g.height }
}

/**
 * One pen stroke: press, moves, release. `liftAfterMs` holds the pen still before lifting (a real
 * pen lifts at any moment, not just after the page handled the last move, as CDP would have it).
 */
export async function penStroke(cdp: CDPSession, g: CanvasBox, points: PenPoint[], liftAfterMs = 0): Promise<void> {
  const at = (p: PenPoint) => ({
    ...toPage(g, p),
    pointerType: 'pen' as const,
    force: p.force ?? 0.5,
    tiltX: p.tiltX ?? 0,
    tiltY: p.tiltY ?? 0
  })
  await cdp.send('Input.dispatchMouseEvent', {
    type: 'mousePressed',
    ...at(points[0]),
    button: 'left',
    buttons: 1,
    clickCount: 1
  })
  for (const p of points.slice(1))
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at(p), button: 'left', buttons: 1 })
  const last = points[points.length - 1]
  if (liftAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, liftAfterMs))
  await cdp.send('Input.dispatchMouseEvent', {
    type: 'mouseReleased',
    ...at(last),
    force: 0,
    button: 'left',
    buttons: 0,
    clickCount: 1
  })
}
