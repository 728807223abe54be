// The error heatmap: reference and drawing ink over a light background, each ink pixel
// coloured by its error on the colour map, grid cells tinted by their value, the five worst
// cells outlined and numbered, and a panel below with the legend and the scores. The raster
// (tints, outlines, ink, legend bar) is painted here pixel by pixel, so its colours are exact
// and testable; the number discs and the text are an SVG that sharp draws over it.
import sharp from 'sharp'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import { GRID, type ScoredEvaluation } from '#shared/contract/scores.ts'
import { ERROR_MAP, HEATMAP_TOP_PERCENT, MAP_STEPS, mapIndex, type Rgb } from '#shared/colormap.ts'
import { gridCellStarts } from '#shared/grid.ts'

export type HeatmapView = 'drawing' | 'reference' | 'combined'
export type RenderScale = 1 | 2

export const VIEW_TITLES: Record<HeatmapView, string> = {
  drawing: 'Where I drew wrong (my lines)',
  reference: 'What I missed (the reference)',
  combined: 'My lines and the reference'
}

export const BACKGROUND: Rgb = [247, 246, 242]
/** The other ink, for context only. */
export const CONTEXT_INK: Rgb = [196, 193, 186]
export const GRID_LINE: Rgb = [228, 225, 218]
const PANEL_RULE: Rgb = [190, 186, 178]
/** How strongly a cell is tinted with its value's colour (of 256). */
export const CELL_TINT = 46
export const OUTLINE_COLOUR = '#111111'
const OUTLINE_RGB: Rgb = [17, 17, 17]

/** The panel under the frame: at least this wide (frames can be as small as 64 px), this high, at scale 1. */
export const PANEL_MIN_WIDTH = 520
export const PANEL_HEIGHT = 122
const FONT = 'DejaVu Sans, Verdana, sans-serif'

export interface HeatmapImage {
  png: Buffer
  width: number
  height: number
  /** Where the frame is drawn in the image: (0, 0), frame size times the scale. */
  frame: { left: number; top: number; width: number; height: number }
  scale: RenderScale
  /** The top of the colour scale, in % of the side and in pixels. */
  maxPercent: number
  maxPx: number
}

const pct = (v: number): string => `${v.toFixed(1)} %`
const share = (v: number): string => `${Math.round(v * 100)} %`

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The raster layer: background, cell tints, grid lines, context ink, coloured ink, legend bar. */
function paint(
  field: ErrorField,
  view: HeatmapView,
  s: RenderScale,
  maxPx: number,
  width: number,
  height: number
): Buffer {
  const { width: W, height: H, evaluation } = field
  const out = Buffer.alloc(width * height * 3)
  out.set(BACKGROUND, 0)
  // Doubling copies: the background in log(n) steps instead of a write per pixel.
  for (let filled = 3; filled < out.length; filled *= 2)
    out.copyWithin(filled, 0, Math.min(filled, out.length - filled))

  const rows = gridCellStarts(H)
  const cols = gridCellStarts(W)
  const fill = (x0: number, y0: number, x1: number, y1: number, rgb: Rgb | Uint8Array): void => {
    const [r, g, b] = [rgb[0], rgb[1], rgb[2]]
    for (let y = y0; y < y1; y++) {
      for (let i = (y * width + x0) * 3, end = (y * width + x1) * 3; i < end; i += 3) {
        out[i] = r
        out[i + 1] = g
        out[i + 2] = b
      }
    }
  }
  const blend = (rgb: Rgb, alpha: number): Rgb =>
    [0, 1, 2].map((c) => BACKGROUND[c] + (((rgb[c] - BACKGROUND[c]) * alpha) >> 8)) as unknown as Rgb

  for (let i = 0; i < GRID; i++) {
    for (let j = 0; j < GRID; j++) {
      const v = evaluation.grid[i][j]
      if (v <= 0) continue
      const k = mapIndex(v, maxPx) * 3
      const tint = blend([ERROR_MAP[k], ERROR_MAP[k + 1], ERROR_MAP[k + 2]], CELL_TINT)
      fill(cols[j] * s, rows[i] * s, cols[j + 1] * s, rows[i + 1] * s, tint)
    }
  }
  for (let k = 1; k < GRID; k++) {
    fill(0, rows[k] * s, W * s, rows[k] * s + 1, GRID_LINE)
    fill(cols[k] * s, 0, cols[k] * s + 1, H * s, GRID_LINE)
  }
  // Where the frame ends and the panel begins.
  fill(0, H * s, width, H * s + s, PANEL_RULE)

  // The worst cells' outlines go under the ink, so no line is hidden by them.
  for (const m of worstCellMarks(evaluation, W, H, s)) {
    fill(m.x, m.y, m.x + m.width, m.y + m.stroke, OUTLINE_RGB)
    fill(m.x, m.y + m.height - m.stroke, m.x + m.width, m.y + m.height, OUTLINE_RGB)
    fill(m.x, m.y, m.x + m.stroke, m.y + m.height, OUTLINE_RGB)
    fill(m.x + m.width - m.stroke, m.y, m.x + m.width, m.y + m.height, OUTLINE_RGB)
  }

  const pixel = (p: number, rgb: Rgb | Uint8Array): void => {
    const x = p % W
    const y = (p - x) / W
    fill(x * s, y * s, x * s + s, y * s + s, rgb)
  }
  const coloured = (pixels: Int32Array, errors: Int32Array): void => {
    for (let n = 0; n < pixels.length; n++) {
      const k = mapIndex(errors[n], maxPx) * 3
      pixel(pixels[n], ERROR_MAP.subarray(k, k + 3))
    }
  }
  if (view === 'drawing') {
    for (const p of field.referencePixels) pixel(p, CONTEXT_INK)
    coloured(field.drawingPixels, field.drawingErrors)
  } else if (view === 'reference') {
    for (const p of field.drawingPixels) pixel(p, CONTEXT_INK)
    coloured(field.referencePixels, field.referenceErrors)
  } else {
    coloured(field.referencePixels, field.referenceErrors)
    coloured(field.drawingPixels, field.drawingErrors)
  }

  // The legend bar: the map, left to right, in the panel.
  const bar = legendBar(width, H * s, s)
  for (let x = 0; x < bar.width; x++) {
    const k = Math.min(MAP_STEPS - 1, Math.floor((x * MAP_STEPS) / bar.width)) * 3
    fill(bar.left + x, bar.top, bar.left + x + 1, bar.top + bar.height, ERROR_MAP.subarray(k, k + 3))
  }
  return out
}

function legendBar(
  imageWidth: number,
  panelTop: number,
  s: RenderScale
): { left: number; top: number; width: number; height: number } {
  const width = 200 * s
  return { left: imageWidth - width - 14 * s, top: panelTop + 28 * s, width, height: 10 * s }
}

export interface WorstCellMark {
  /** 1 for the worst cell, up to 5. */
  number: number
  row: number
  col: number
  /** The cell in image pixels; the outline is drawn on its innermost `stroke` pixels. */
  x: number
  y: number
  width: number
  height: number
  stroke: number
  /** The number's disc, inside the cell's top-left corner. */
  label: { cx: number; cy: number; r: number }
}

/** Where the five worst cells are outlined and numbered, in image pixels at scale s. */
export function worstCellMarks(
  evaluation: ScoredEvaluation,
  frameWidth: number,
  frameHeight: number,
  s: RenderScale
): WorstCellMark[] {
  const rows = gridCellStarts(frameHeight)
  const cols = gridCellStarts(frameWidth)
  const stroke = 2 * s
  return evaluation.worstCells.slice(0, 5).map((cell, n) => {
    const x = cols[cell.col] * s
    const y = rows[cell.row] * s
    const width = (cols[cell.col + 1] - cols[cell.col]) * s
    const height = (rows[cell.row + 1] - rows[cell.row]) * s
    // 8 px at scale 1, smaller when the cells are (small frames): the disc stays inside its cell.
    const r = Math.max(s, Math.min(8 * s, Math.floor(Math.min(width, height) / 2) - stroke - s))
    return {
      number: n + 1,
      row: cell.row,
      col: cell.col,
      x,
      y,
      width,
      height,
      stroke,
      label: { cx: x + stroke + r, cy: y + stroke + r, r }
    }
  })
}

/** Outlines, numbers and the panel's text, as SVG over the raster. */
function overlay(
  evaluation: ScoredEvaluation,
  view: HeatmapView,
  field: ErrorField,
  s: RenderScale,
  maxPercent: number,
  width: number,
  height: number
): string {
  const { height: H } = field
  const parts: string[] = []
  for (const m of worstCellMarks(evaluation, field.width, field.height, s)) {
    parts.push(`<circle cx="${m.label.cx}" cy="${m.label.cy}" r="${m.label.r}" fill="${OUTLINE_COLOUR}"/>`)
    parts.push(
      `<text x="${m.label.cx}" y="${m.label.cy + m.label.r / 2}" font-size="${(m.label.r * 11) / 8}" font-weight="bold" fill="#ffffff" text-anchor="middle">${m.number}</text>`
    )
  }

  const top = H * s
  const left = 14 * s
  const e = evaluation
  const lines = [
    `mean ${pct(e.meanError)} · top ${pct(e.topError)} · precision ${share(e.precision)} · recall ${share(e.recall)} · F1 ${share(e.f1)} (within ${e.tolerancePx} px)`,
    `extra ink ${pct(e.extraInk.mean)} (max ${pct(e.extraInk.max)}) · missed lines ${pct(e.missedLines.mean)} (max ${pct(e.missedLines.max)})`,
    `ink: reference ${e.referencePixels} px, drawing ${e.drawingPixels} px · percentages of the frame side (${e.side} px)`
  ]
  parts.push(
    `<text x="${left}" y="${top + 20 * s}" font-size="${12 * s}" fill="#444444">${escapeXml(VIEW_TITLES[view])}</text>`
  )
  parts.push(
    `<text x="${left}" y="${top + 50 * s}" font-size="${22 * s}" font-weight="bold" fill="#111111">top-5 error ${pct(e.top5Error)}</text>`
  )
  lines.forEach((line, n) => {
    parts.push(
      `<text x="${left}" y="${top + (74 + 17 * n) * s}" font-size="${11 * s}" fill="#333333">${escapeXml(line)}</text>`
    )
  })

  const bar = legendBar(width, top, s)
  const labelY = bar.top + bar.height + 12 * s
  parts.push(
    `<text x="${bar.left + bar.width}" y="${bar.top - 6 * s}" font-size="${10 * s}" fill="#444444" text-anchor="end">error, % of the side</text>`
  )
  for (const [frac, anchor] of [
    [0, 'start'],
    [0.5, 'middle'],
    [1, 'end']
  ] as const) {
    const v = maxPercent * frac
    const label = `${Number.isInteger(v) ? v : v.toFixed(1)} %${frac === 1 ? ' +' : ''}`
    parts.push(
      `<text x="${bar.left + bar.width * frac}" y="${labelY}" font-size="${10 * s}" fill="#444444" text-anchor="${anchor}">${label}</text>`
    )
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="${FONT}">${parts.join('')}</svg>`
}

/**
 * Render one view of an error field as PNG at 1x or 2x the frame. The colour scale is fixed:
 * 0 to HEATMAP_TOP_PERCENT % of the side, shown in the legend; larger errors take the top colour.
 */
export async function renderHeatmap(
  field: ErrorField,
  options: { view: HeatmapView; scale?: RenderScale }
): Promise<HeatmapImage> {
  const s = options.scale ?? 1
  const { width: W, height: H, evaluation } = field
  const side = Math.max(W, H)
  const maxPercent = HEATMAP_TOP_PERCENT
  const maxPx = (maxPercent * side) / 100
  const width = Math.max(W, PANEL_MIN_WIDTH) * s
  const height = (H + PANEL_HEIGHT) * s
  const raster = paint(field, options.view, s, maxPx, width, height)
  const svg = overlay(evaluation, options.view, field, s, maxPercent, width, height)
  const png = await sharp(raster, { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg), left: 0, top: 0 }])
    .png({ compressionLevel: 6 })
    .toBuffer()
  return { png, width, height, frame: { left: 0, top: 0, width: W * s, height: H * s }, scale: s, maxPercent, maxPx }
}
