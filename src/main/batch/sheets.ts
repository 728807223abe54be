// A printable sheet per student (A4 portrait at 150 dpi, PNG, as many pages as the rows need):
// for each reference, what it looked like, the student's best drawing of it, the scores (best,
// mean, first and latest top-5 error), a drill's own figure, and the scores of every attempt in
// order as a small chart. SVG composed here, rendered and composited by sharp.
import sharp, { type OverlayOptions } from 'sharp'
import type { ClassRow } from './class-report.ts'

export const SHEET = { width: 1240, height: 1754, margin: 70, rowHeight: 250, thumb: 210 } as const
const ROWS_PER_PAGE = 5
const HEADER = 250

export interface SheetRow {
  row: ClassRow
  /** PNG thumbnails (SHEET.thumb square at most), or null when there is none to show. */
  reference: Buffer | null
  drawing: Buffer | null
  /** The top-5 error of every scored attempt, in the order drawn. */
  trend: number[]
}

export interface SheetInfo {
  student: string
  /** What the report was made of (the folder's name) and when. */
  source: string
  date: string
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const pct = (v: number | null): string => (v === null ? '–' : `${v.toFixed(1)} %`)
const unitText = { px: ' px', deg: '°', pct: ' %', count: '' } as const

/** Every page of one student's sheet, as PNG. */
export async function renderSheet(info: SheetInfo, rows: readonly SheetRow[]): Promise<Buffer[]> {
  const pages: Buffer[] = []
  const count = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE))
  for (let page = 0; page < count; page++)
    pages.push(await renderPage(info, rows, rows.slice(page * ROWS_PER_PAGE, (page + 1) * ROWS_PER_PAGE), page, count))
  return pages
}

async function renderPage(
  info: SheetInfo,
  all: readonly SheetRow[],
  rows: readonly SheetRow[],
  page: number,
  pages: number
): Promise<Buffer> {
  const { width, height, margin: m, rowHeight, thumb } = SHEET
  const drawings = all.reduce((n, r) => n + r.row.attempts, 0)
  const bests = all.map((r) => r.row.best).filter((v): v is number => v !== null)
  const parts: string[] = [
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${m}" y="${m + 10}" font-size="22" fill="#777">Sightline · class report · ${esc(info.source)} · ${esc(info.date)}</text>`,
    `<text x="${m}" y="${m + 70}" font-size="52" font-weight="bold" fill="#111">${esc(info.student)}</text>`,
    `<text x="${m}" y="${m + 118}" font-size="26" fill="#333">${drawings} drawing${drawings === 1 ? '' : 's'} of ${all.length} reference${all.length === 1 ? '' : 's'}` +
      (bests.length ? ` · mean of the best scores ${pct(bests.reduce((a, v) => a + v, 0) / bests.length)}` : '') +
      `</text>`,
    `<text x="${m}" y="${m + 168}" font-size="20" fill="#777">Reference</text>`,
    `<text x="${m + thumb + 30}" y="${m + 168}" font-size="20" fill="#777">Best drawing</text>`,
    `<text x="${m + 2 * thumb + 60}" y="${m + 168}" font-size="20" fill="#777">Top-5 error (lower is better)</text>`,
    `<line x1="${m}" y1="${m + 182}" x2="${width - m}" y2="${m + 182}" stroke="#bbb" stroke-width="2"/>`
  ]
  const composites: OverlayOptions[] = []
  rows.forEach((r, i) => {
    const top = m + HEADER - 40 + i * rowHeight
    const textX = m + 2 * thumb + 60
    for (const [k, png] of [r.reference, r.drawing].entries()) {
      const left = m + k * (thumb + 30)
      parts.push(
        `<rect x="${left - 1}" y="${top - 1}" width="${thumb + 2}" height="${thumb + 2}" fill="none" stroke="#ccc"/>`
      )
      if (png) composites.push({ input: png, left, top })
      else parts.push(`<text x="${left + 20}" y="${top + thumb / 2}" font-size="20" fill="#999">no picture</text>`)
    }
    const { row } = r
    parts.push(
      `<text x="${textX}" y="${top + 30}" font-size="28" font-weight="bold" fill="#111">${esc(trim(row.referenceName, 34))}</text>`,
      `<text x="${textX}" y="${top + 68}" font-size="24" fill="#222">best ${pct(row.best)} · mean ${pct(row.mean)} · ${row.attempts} attempt${row.attempts === 1 ? '' : 's'}</text>`,
      `<text x="${textX}" y="${top + 100}" font-size="22" fill="#444">first ${pct(row.first)} → latest ${pct(row.latest)}</text>`
    )
    if (row.drill)
      parts.push(
        `<text x="${textX}" y="${top + 132}" font-size="22" fill="#444">${esc(row.drill.label)}: best ${row.drill.best.toFixed(1)}${unitText[row.drill.unit]}, latest ${row.drill.latest.toFixed(1)}${unitText[row.drill.unit]}</text>`
      )
    parts.push(trendChart(r.trend, textX, top + 148, width - m - textX, 60))
    parts.push(
      `<line x1="${m}" y1="${top + thumb + 20}" x2="${width - m}" y2="${top + thumb + 20}" stroke="#eee" stroke-width="2"/>`
    )
  })
  parts.push(
    `<text x="${m}" y="${height - m - 18}" font-size="18" fill="#777">Top-5 error: the mean of the five worst cells of a 10 x 10 grid over the drawing, in % of the frame side</text>`,
    `<text x="${m}" y="${height - m + 8}" font-size="18" fill="#777">(2 % of a 500 px frame is 10 px). Each dot is one attempt, in the order drawn.</text>`,
    `<text x="${width - m}" y="${height - m + 8}" font-size="18" fill="#777" text-anchor="end">Page ${page + 1} of ${pages}</text>`
  )
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">${parts.join('')}</svg>`
  return sharp(Buffer.from(svg))
    .composite(composites)
    .flatten({ background: '#fff' })
    .png({ compressionLevel: 9 })
    .toBuffer()
}

/** Every attempt's score as a dot on a line, from 0 at the bottom to the largest at the top. */
function trendChart(values: readonly number[], x: number, y: number, w: number, h: number): string {
  if (values.length === 0) return ''
  const top = Math.max(...values, 1)
  const step = values.length > 1 ? Math.min(60, w / (values.length - 1)) : 0
  const pts = values.map((v, i) => [x + 8 + i * step, y + h - (v / top) * (h - 8)] as const)
  return (
    `<line x1="${x}" y1="${y + h}" x2="${x + w}" y2="${y + h}" stroke="#ddd"/>` +
    (pts.length > 1
      ? `<polyline points="${pts.map(([a, b]) => `${a},${b}`).join(' ')}" fill="none" stroke="#3b6ea5" stroke-width="3"/>`
      : '') +
    pts.map(([a, b]) => `<circle cx="${a}" cy="${b}" r="5" fill="#3b6ea5"/>`).join('') +
    `<text x="${x + w}" y="${y + 12}" font-size="16" fill="#999" text-anchor="end">${top.toFixed(1)} %</text>`
  )
}

const trim = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** A square thumbnail (white padding) of an RGB picture. */
export async function thumbnail(rgb: Uint8Array, width: number, height: number, side = SHEET.thumb): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(side, side, { fit: 'contain', background: '#fff', kernel: 'lanczos3' })
    .png()
    .toBuffer()
}
