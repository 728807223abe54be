// The sheet: one page a teacher can print or pin up, with the reference, the drawing, its heatmap
// and the figures, the person's name and the date. Composed here as an A4 picture (sharp: the
// pictures placed on white, the text and legend as SVG over them); sheet-pdf.ts puts the same
// picture on a PDF page. Pure rendering: nothing is written here.
import sharp from 'sharp'
import type { FrameSize } from '#shared/contract/app.ts'
import type { ScoredEvaluation } from '#shared/contract/scores.ts'
import { ERROR_MAP, MAP_STEPS } from '#shared/colormap.ts'

/** A4 at 200 dots per inch: 210 x 297 mm. */
export const SHEET_DPI = 200
export const SHEET = { width: 1654, height: 2339 } as const
const MARGIN = 110
const FONT = 'DejaVu Sans, Verdana, sans-serif'

export interface SheetRect {
  left: number
  top: number
  width: number
  height: number
}

export interface SheetLayout {
  /** 'grid': reference | drawing over heatmap | figures; 'rows': each picture the full width (wide frames). */
  kind: 'grid' | 'rows'
  reference: SheetRect
  drawing: SheetRect
  heatmap: SheetRect
  figures: SheetRect
}

const HEADER_HEIGHT = 250
const CAPTION = 44
const GUTTER = 60
/** Frames at least this much wider than high get one picture per row. */
const WIDE = 1.6

/** The largest rect of the frame's aspect inside a box, centred at its top. */
function fitIn(box: SheetRect, frame: FrameSize): SheetRect {
  const scale = Math.min(box.width / frame.width, box.height / frame.height)
  const width = Math.floor(frame.width * scale)
  const height = Math.floor(frame.height * scale)
  return { left: box.left + Math.floor((box.width - width) / 2), top: box.top, width, height }
}

/** Where each part goes on the page, for a frame of any aspect. */
export function sheetLayout(frame: FrameSize): SheetLayout {
  const inner = { left: MARGIN, top: MARGIN + HEADER_HEIGHT, width: SHEET.width - 2 * MARGIN }
  const bottom = SHEET.height - MARGIN - 40 // the footer line
  if (frame.width / frame.height >= WIDE) {
    const figuresHeight = 430
    const each = Math.floor((bottom - inner.top - figuresHeight - 3 * (CAPTION + GUTTER)) / 3)
    const rows = [0, 1, 2].map((k) =>
      fitIn(
        {
          left: inner.left,
          top: inner.top + k * (each + CAPTION + GUTTER) + CAPTION,
          width: inner.width,
          height: each
        },
        frame
      )
    )
    const last = rows[2]
    return {
      kind: 'rows',
      reference: rows[0],
      drawing: rows[1],
      heatmap: rows[2],
      figures: { left: inner.left, top: last.top + last.height + GUTTER, width: inner.width, height: figuresHeight }
    }
  }
  const cellWidth = Math.floor((inner.width - GUTTER) / 2)
  const cellHeight = Math.floor((bottom - inner.top - 2 * CAPTION - GUTTER) / 2)
  const cell = (col: number, row: number): SheetRect => ({
    left: inner.left + col * (cellWidth + GUTTER),
    top: inner.top + CAPTION + row * (cellHeight + CAPTION + GUTTER),
    width: cellWidth,
    height: cellHeight
  })
  const reference = fitIn(cell(0, 0), frame)
  const heatTop = reference.top + reference.height + GUTTER + CAPTION
  const below = { ...cell(0, 1), top: heatTop, height: bottom - heatTop }
  return {
    kind: 'grid',
    reference,
    drawing: fitIn(cell(1, 0), frame),
    heatmap: fitIn(below, frame),
    figures: { ...cell(1, 1), top: heatTop, height: bottom - heatTop }
  }
}

export interface SheetInput {
  referenceName: string
  /** The person's name from the settings; '' leaves the line out. */
  personName: string
  /** When the attempt began, as people read it ("27 November 2026, 10:05"). */
  when: string
  /** Drawing time, "m:ss". */
  time: string
  strokes: number
  frame: FrameSize
  evaluation: ScoredEvaluation
  /** The reference fitted into the frame (any multiple of its size), the drawing, the heatmap's frame part. */
  referencePng: Uint8Array
  drawingPng: Uint8Array
  heatmapPng: Uint8Array
  /** The top of the heatmap's colour scale, % of the side. */
  maxPercent: number
  app: string
}

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`)
const pct = (v: number): string => `${v.toFixed(1)} %`
const share = (v: number): string => `${Math.round(v * 100)} %`

function text(x: number, y: number, size: number, body: string, extra = ''): string {
  return `<text x="${x}" y="${y}" font-size="${size}" ${extra}>${escapeXml(body)}</text>`
}

function frameBox(r: SheetRect): string {
  return `<rect x="${r.left - 1}" y="${r.top - 1}" width="${r.width + 2}" height="${r.height + 2}" fill="none" stroke="#c9c4ba" stroke-width="2"/>`
}

/** Text, captions, frames, the legend and the figures, as one SVG over the pictures. */
function overlay(input: SheetInput, layout: SheetLayout): string {
  const e = input.evaluation
  const parts: string[] = []
  parts.push(text(MARGIN, MARGIN + 20, 24, `${input.app} · drawing from observation`, 'fill="#777"'))
  parts.push(text(MARGIN, MARGIN + 84, 52, input.referenceName, 'font-weight="bold" fill="#111"'))
  const who = [input.personName, input.when].filter((s) => s.length > 0).join(' · ')
  parts.push(text(MARGIN, MARGIN + 138, 32, who, 'fill="#222"'))
  parts.push(
    text(
      MARGIN,
      MARGIN + 184,
      26,
      `drawing time ${input.time} · ${input.strokes} ${input.strokes === 1 ? 'stroke' : 'strokes'} · frame ${input.frame.width} × ${input.frame.height} px`,
      'fill="#555"'
    )
  )
  parts.push(
    `<line x1="${MARGIN}" y1="${MARGIN + 214}" x2="${SHEET.width - MARGIN}" y2="${MARGIN + 214}" stroke="#c9c4ba" stroke-width="2"/>`
  )
  const caption = (r: SheetRect, label: string): void => {
    parts.push(text(r.left, r.top - 14, 26, label, 'font-weight="bold" fill="#333"'))
    parts.push(frameBox(r))
  }
  caption(layout.reference, 'Reference')
  caption(layout.drawing, 'Drawing')
  caption(layout.heatmap, 'Where it is off')

  // The figures, in their box.
  const f = layout.figures
  let y = f.top + 24
  parts.push(text(f.left, y, 26, 'Top-5 error', 'fill="#555"'))
  y += 96
  parts.push(text(f.left, y, 100, e.top5Error.toFixed(1), 'font-weight="bold" fill="#111"'))
  const bigWidth = e.top5Error.toFixed(1).length * 60
  parts.push(text(f.left + bigWidth + 12, y, 44, '%', 'fill="#111"'))
  y += 40
  parts.push(text(f.left, y, 22, 'the five worst grid cells, % of the longest side', 'fill="#777"'))
  const rows: [string, string][] = [
    ['Mean error', pct(e.meanError)],
    ['Top error', pct(e.topError)],
    ['Extra ink (mean, max)', `${pct(e.extraInk.mean)}, ${pct(e.extraInk.max)}`],
    ['Missed lines (mean, max)', `${pct(e.missedLines.mean)}, ${pct(e.missedLines.max)}`],
    [`Precision / recall / F1 (${e.tolerancePx} px)`, `${share(e.precision)} / ${share(e.recall)} / ${share(e.f1)}`]
  ]
  y += 30
  for (const [label, value] of rows) {
    y += 46
    parts.push(text(f.left, y, 26, label, 'fill="#444"'))
    parts.push(text(f.left + f.width, y, 28, value, 'font-weight="bold" fill="#111" text-anchor="end"'))
  }

  // The heatmap's colour scale, under it.
  const h = layout.heatmap
  const bar = { left: h.left, top: h.top + h.height + 16, width: Math.min(420, h.width), height: 14 }
  const stops = Array.from({ length: 9 }, (_, k) => {
    const i = Math.round((k / 8) * (MAP_STEPS - 1)) * 3
    return `<stop offset="${k / 8}" stop-color="rgb(${ERROR_MAP[i]},${ERROR_MAP[i + 1]},${ERROR_MAP[i + 2]})"/>`
  }).join('')
  parts.push(`<defs><linearGradient id="map">${stops}</linearGradient></defs>`)
  parts.push(
    `<rect x="${bar.left}" y="${bar.top}" width="${bar.width}" height="${bar.height}" fill="url(#map)"/>`,
    text(bar.left + bar.width + 14, bar.top + 13, 20, `0 to ${input.maxPercent} %+ of the side`, 'fill="#555"')
  )

  parts.push(
    text(
      MARGIN,
      SHEET.height - MARGIN,
      20,
      `Errors are L1 distances in % of the frame's longest side (${e.side} px); the five worst of the 10 × 10 grid cells are outlined and numbered.`,
      'fill="#777"'
    )
  )
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SHEET.width}" height="${SHEET.height}" font-family="${FONT}">${parts.join('')}</svg>`
}

/** The sheet as a PNG (A4 at 200 dpi). */
export async function renderSheetPng(input: SheetInput): Promise<Buffer> {
  const layout = sheetLayout(input.frame)
  const place = async (png: Uint8Array, r: SheetRect, kernel: 'linear' | 'nearest') => ({
    input: await sharp(png)
      .flatten({ background: '#ffffff' })
      .resize(r.width, r.height, { fit: 'fill', kernel })
      .png()
      .toBuffer(),
    left: r.left,
    top: r.top
  })
  const pictures = await Promise.all([
    place(input.referencePng, layout.reference, 'linear'),
    place(input.drawingPng, layout.drawing, 'linear'),
    place(input.heatmapPng, layout.heatmap, 'linear')
  ])
  return sharp({ create: { width: SHEET.width, height: SHEET.height, channels: 3, background: '#ffffff' } })
    .composite([...pictures, { input: Buffer.from(overlay(input, layout)), left: 0, top: 0 }])
    .withMetadata({ density: SHEET_DPI })
    .png({ compressionLevel: 9 })
    .toBuffer()
}
