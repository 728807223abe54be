// Where the studio's panels go in the workspace (the area between the toolbar and the status
// bar), for any window and any frame: the reference and the canvas at the same size (sight-size),
// side by side or one above the other, whichever makes them larger (a portrait pen display
// stacks square frames; a panorama stacks even on a landscape screen), and the report where it
// neither shrinks nor covers the canvas: beside the panels when there is room, else in the
// reference panel's place. Pure: the composable (use-studio-layout.ts) feeds it sizes.

export interface Size {
  width: number
  height: number
}

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

export type Arrangement = 'side-by-side' | 'stacked'

export interface StudioLayout {
  arrangement: Arrangement
  /** The two panels, each of the frame's aspect, the same size. */
  reference: Rect
  canvas: Rect
  /** The report's area while it is open, else null. */
  report: (Rect & { placement: 'beside' | 'over-reference' }) | null
  /** Space around and between the panels. */
  padding: number
  gap: number
}

/** The report's width beside the panels (and its least width anywhere). */
export const REPORT_WIDTH = 320
/** Padding and gap at roomy sizes; smaller windows get less, down to MIN_SPACING. */
export const SPACING = 28
export const MIN_SPACING = 10

/** Padding (= gap) for a workspace: about 2.5 % of its smaller side, within [MIN_SPACING, SPACING]. */
export function spacingFor(workspace: Size): number {
  return Math.round(Math.min(SPACING, Math.max(MIN_SPACING, Math.min(workspace.width, workspace.height) * 0.025)))
}

/** The largest panel size of the frame's aspect for one arrangement (whole CSS pixels). */
function panelSize(workspace: Size, frame: Size, arrangement: Arrangement, padding: number, gap: number): Size {
  const across = arrangement === 'side-by-side'
  const w = Math.max(0, across ? (workspace.width - 2 * padding - gap) / 2 : workspace.width - 2 * padding)
  const h = Math.max(0, across ? workspace.height - 2 * padding : (workspace.height - 2 * padding - gap) / 2)
  const scale = Math.min(w / frame.width, h / frame.height)
  return { width: Math.floor(frame.width * scale), height: Math.floor(frame.height * scale) }
}

/** Where everything goes. `frame` is the attempt's frame (its aspect is what matters). */
export function studioLayout(workspace: Size, frame: Size, reportOpen: boolean): StudioLayout {
  const padding = spacingFor(workspace)
  const gap = padding
  const across = panelSize(workspace, frame, 'side-by-side', padding, gap)
  const stacked = panelSize(workspace, frame, 'stacked', padding, gap)
  // Ties keep the panels side by side, as artists set up a sight-size easel.
  const arrangement: Arrangement = stacked.width > across.width ? 'stacked' : 'side-by-side'
  const panel = arrangement === 'stacked' ? stacked : across
  const blockWidth = arrangement === 'stacked' ? panel.width : 2 * panel.width + gap
  const blockHeight = arrangement === 'stacked' ? 2 * panel.height + gap : panel.height
  let left = Math.floor((workspace.width - blockWidth) / 2)
  const top = Math.floor((workspace.height - blockHeight) / 2)

  let report: StudioLayout['report'] = null
  if (reportOpen) {
    // Beside: the panels move left only as far as the report needs, never past the padding.
    const rightFree = workspace.width - (left + blockWidth)
    const need = REPORT_WIDTH + gap - rightFree
    const canShift = left - padding
    if (need <= canShift) {
      left -= Math.max(0, need)
      report = {
        placement: 'beside',
        left: workspace.width - REPORT_WIDTH,
        top: 0,
        width: REPORT_WIDTH,
        height: workspace.height
      }
    }
  }

  const reference: Rect = { left, top, ...panel }
  const canvas: Rect =
    arrangement === 'stacked'
      ? { left, top: top + panel.height + gap, ...panel }
      : { left: left + panel.width + gap, top, ...panel }

  if (reportOpen && !report) {
    // In the reference's place: its half of the workspace, up to the gap before the canvas.
    report =
      arrangement === 'stacked'
        ? { placement: 'over-reference', left: 0, top: 0, width: workspace.width, height: canvas.top - gap / 2 }
        : { placement: 'over-reference', left: 0, top: 0, width: canvas.left - gap / 2, height: workspace.height }
  }
  return { arrangement, reference, canvas, report, padding, gap }
}
