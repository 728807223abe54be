/**
 * Sight-size layout: two panels of the frame's aspect ratio side by side, as large as the
 * available area allows. Returns the size of one panel in CSS pixels.
 */
export function fitPanels(
  available: { width: number; height: number },
  frame: { width: number; height: number },
  gap: number
): { width: number; height: number } {
  const perPanelWidth = Math.max(0, (available.width - gap) / 2)
  const scale = Math.max(0, Math.min(perPanelWidth / frame.width, available.height / frame.height))
  return { width: Math.floor(frame.width * scale), height: Math.floor(frame.height * scale) }
}
