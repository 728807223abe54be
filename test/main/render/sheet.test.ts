import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { renderDrawingPng } from '#main/render/drawing.ts'
import { renderHeatmap } from '#main/render/heatmap.ts'
import { SHEET, renderSheetPng, sheetLayout, type SheetRect } from '#main/render/sheet.ts'
import { A4_POINTS, sheetPdf } from '#main/render/sheet-pdf.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { errorFieldOf, segment } from './field.ts'

const PDFTOPPM = '/usr/bin/pdftoppm'
const PDFINFO = '/usr/bin/pdfinfo'
function requirePoppler(): void {
  if (!existsSync(PDFTOPPM) || !existsSync(PDFINFO))
    throw new Error('these tests render the PDF back with poppler-utils: apt-get install poppler-utils (.ci/run does)')
}

const overlap = (a: SheetRect, b: SheetRect): boolean =>
  a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height

describe('the sheet layout', () => {
  it('places the reference, the drawing, the heatmap and the figures on the page, apart, pictures in the frame’s aspect (fuzzed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 4096 }), fc.integer({ min: 64, max: 4096 }), (w, h) => {
        const l = sheetLayout({ width: w, height: h })
        const parts = [l.reference, l.drawing, l.heatmap, l.figures]
        for (const r of parts) {
          expect(r.left).toBeGreaterThanOrEqual(100)
          expect(r.top).toBeGreaterThanOrEqual(100)
          expect(r.left + r.width).toBeLessThanOrEqual(SHEET.width - 100)
          expect(r.top + r.height).toBeLessThanOrEqual(SHEET.height - 100)
        }
        for (let i = 0; i < parts.length; i++)
          for (let j = i + 1; j < parts.length; j++) expect(overlap(parts[i], parts[j])).toBe(false)
        for (const r of [l.reference, l.drawing, l.heatmap]) {
          expect(Math.abs(r.width / r.height - w / h)).toBeLessThanOrEqual((w / h) * (2 / Math.min(r.width, r.height)))
          // Large enough to read: a printed picture at least 5 cm along its longest side.
          expect(Math.max(r.width, r.height)).toBeGreaterThanOrEqual(400)
        }
        expect(l.reference.width).toBe(l.drawing.width)
      })
    )
  })

  it('gives a panorama one picture per row, and a square frame a two by two grid', () => {
    expect(sheetLayout({ width: 500, height: 100 }).kind).toBe('rows')
    expect(sheetLayout({ width: 500, height: 500 }).kind).toBe('grid')
    expect(sheetLayout({ width: 400, height: 500 }).kind).toBe('grid')
  })
})

describe('the printed sheet', () => {
  const frame = { width: 60, height: 40 }
  const field = errorFieldOf(60, 40, segment(60, 5, 5, 50, 5), segment(60, 5, 8, 50, 7))

  async function sheet(): Promise<Buffer> {
    const reference = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3060c0' } })
      .png()
      .toBuffer()
    const heat = await renderHeatmap(field, { view: 'combined', scale: 2 })
    const heatFrame = await sharp(heat.png)
      .extract({ left: 0, top: 0, width: heat.frame.width, height: heat.frame.height })
      .png()
      .toBuffer()
    return renderSheetPng({
      referenceName: 'Cube',
      personName: 'Ada Lovelace',
      when: '27 November 2026 at 10:05',
      time: '3:05',
      strokes: 2,
      frame,
      evaluation: field.evaluation,
      referencePng: reference,
      drawingPng: await renderDrawingPng(frame, { pixels: field.drawingPixels }, 2),
      heatmapPng: heatFrame,
      maxPercent: heat.maxPercent,
      app: 'Sightline Studio'
    })
  }

  it('is an A4 picture at 200 dpi with the reference, the drawing and the text where the layout puts them', async () => {
    const png = await sheet()
    const meta = await sharp(png).metadata()
    expect([meta.width, meta.height, meta.density]).toEqual([SHEET.width, SHEET.height, 200])
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    const at = (x: number, y: number): number[] => {
      const i = (y * info.width + x) * info.channels
      return [data[i], data[i + 1], data[i + 2]]
    }
    const l = sheetLayout(frame)
    // The plain reference fills its place.
    expect(at(l.reference.left + (l.reference.width >> 1), l.reference.top + (l.reference.height >> 1))).toEqual([
      48, 96, 192
    ])
    // The drawing: white paper with its two dark lines near the top.
    let dark = 0
    for (let y = l.drawing.top; y < l.drawing.top + l.drawing.height; y++)
      for (let x = l.drawing.left; x < l.drawing.left + l.drawing.width; x++) if (at(x, y)[0] < 100) dark++
    expect(dark).toBeGreaterThan(500)
    expect(dark).toBeLessThan((l.drawing.width * l.drawing.height) / 5)
    // Text in the header and in the figures' box.
    const inkIn = (r: SheetRect): number => {
      let n = 0
      for (let y = r.top; y < r.top + r.height; y += 2)
        for (let x = r.left; x < r.left + r.width; x += 2) n += at(x, y)[0] < 90 ? 1 : 0
      return n
    }
    expect(inkIn({ left: 110, top: 110, width: 1400, height: 160 })).toBeGreaterThan(500)
    expect(inkIn(l.figures)).toBeGreaterThan(500)
  })

  it('as a PDF: one A4 page that prints the same picture (rendered back with pdftoppm), with its title and author', async () => {
    requirePoppler()
    const png = await sheet()
    const pdf = await sheetPdf(png, {
      title: 'Cube: drawing of 2026-11-27',
      author: 'Ada Lovelace',
      subject: 'Top-5 error 3.2 %',
      date: new Date('2026-11-27T10:05:00Z'),
      producer: 'Sightline Studio 0.1.0'
    })
    const dir = tempDir()
    const file = join(dir, 'sheet.pdf')
    writeFileSync(file, pdf)
    const info = execFileSync(PDFINFO, [file], { encoding: 'utf8' })
    expect(info).toMatch(/^Pages:\s+1$/m)
    expect(info).toMatch(/^Title:\s+Cube: drawing of 2026-11-27$/m)
    expect(info).toMatch(/^Author:\s+Ada Lovelace$/m)
    expect(info).toMatch(/^Page size:\s+595\.\d+ x 842\.\d+ pts \(A4\)$/m)
    expect(A4_POINTS.width).toBeCloseTo(595.4, 0)
    // Rendered at 100 dpi: half the sheet's pixels, the same picture.
    execFileSync(PDFTOPPM, ['-r', '100', '-png', '-singlefile', file, join(dir, 'page')])
    const page = await sharp(join(dir, 'page.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    expect([page.info.width, page.info.height]).toEqual([827, 1170])
    const expected = await sharp(png).resize(827, 1170, { fit: 'fill' }).removeAlpha().raw().toBuffer()
    let diff = 0
    for (let i = 0; i < expected.length; i++) diff += Math.abs(expected[i] - page.data[i])
    expect(diff / expected.length).toBeLessThan(4)
  })
})
