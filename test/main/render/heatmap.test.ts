import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { ErrorField } from '#main/evaluator/core/error-field.ts'
import { ERROR_MAP, HEATMAP_TOP_PERCENT, mapIndex, type Rgb } from '#shared/colormap.ts'
import {
  BACKGROUND,
  CELL_TINT,
  CONTEXT_INK,
  PANEL_HEIGHT,
  PANEL_MIN_WIDTH,
  renderHeatmap,
  worstCellMarks,
  type HeatmapView,
  type RenderScale
} from '#main/render/heatmap.ts'
import { circle, errorFieldOf, segment } from './field.ts'
import { gridCellOf, gridCellStarts } from '#shared/grid.ts'

interface Raster {
  data: Buffer
  width: number
  height: number
  at(x: number, y: number): Rgb
}

async function raster(png: Buffer): Promise<Raster> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    data,
    width: info.width,
    height: info.height,
    at: (x, y) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)] as unknown as Rgb
  }
}

const lut = (i: number): Rgb => [ERROR_MAP[i * 3], ERROR_MAP[i * 3 + 1], ERROR_MAP[i * 3 + 2]]

/**
 * 200 x 200 (cells of 20 x 20): a reference of short segments, and a drawing that copies them
 * shifted down by a different amount in each of a few cells, so the grid values are known.
 */
function knownField(): ErrorField {
  const W = 200
  const R: number[] = []
  const D: number[] = []
  // [row, col, shift in y]: the segment is at y = 20 * row + 6, columns 20 * col + 4 .. + 14.
  const cells: [number, number, number][] = [
    [0, 0, 0],
    [2, 3, 4],
    [4, 6, 1],
    [6, 1, 2],
    [7, 8, 3],
    [8, 4, 5],
    [9, 9, 0],
    [5, 5, 0]
  ]
  for (const [row, col, dy] of cells) {
    R.push(...segment(W, 20 * col + 4, 20 * row + 6, 20 * col + 14, 20 * row + 6))
    D.push(...segment(W, 20 * col + 4, 20 * row + 6 + dy, 20 * col + 14, 20 * row + 6 + dy))
  }
  return errorFieldOf(W, 200, R, D)
}

/**
 * Is (x, y) (image pixels) under a number disc (with a pixel of margin for smoothing), or, with
 * `outlines`, on a worst cell's outline? Ink is painted over the outlines, never under them.
 */
function underMarks(field: ErrorField, s: RenderScale, x: number, y: number, outlines = false): boolean {
  return worstCellMarks(field.evaluation, field.width, field.height, s).some((m) => {
    const inCell = x >= m.x && x < m.x + m.width && y >= m.y && y < m.y + m.height
    const ring =
      inCell &&
      (x < m.x + m.stroke || x >= m.x + m.width - m.stroke || y < m.y + m.stroke || y >= m.y + m.height - m.stroke)
    const disc = Math.hypot(x + 0.5 - m.label.cx, y + 0.5 - m.label.cy) <= m.label.r + 1.5
    return (outlines && ring) || disc
  })
}

describe('the known field behind the renderer tests', () => {
  it('has the grid values its shifts say', () => {
    const { evaluation } = knownField()
    expect(evaluation.worstCells.map((c) => [c.row, c.col, c.value])).toEqual([
      [8, 4, 5],
      [2, 3, 4],
      [7, 8, 3],
      [6, 1, 2],
      [4, 6, 1]
    ])
    expect(evaluation.grid[0][0]).toBe(0)
    expect(evaluation.top5Error).toBeCloseTo(1.5, 12)
  })
})

describe('heatmap renderer', () => {
  for (const s of [1, 2] as const) {
    it(`outlines the five worst cells, and only those, at scale ${s}`, async () => {
      const field = knownField()
      const image = await renderHeatmap(field, { view: 'combined', scale: s })
      expect([image.width, image.height]).toEqual([PANEL_MIN_WIDTH * s, (200 + PANEL_HEIGHT) * s])
      expect(image.frame).toEqual({ left: 0, top: 0, width: 200 * s, height: 200 * s })
      const img = await raster(image.png)
      const marks = worstCellMarks(field.evaluation, 200, 200, s)
      expect(marks.map((m) => [m.number, m.row, m.col])).toEqual([
        [1, 8, 4],
        [2, 2, 3],
        [3, 7, 8],
        [4, 6, 1],
        [5, 4, 6]
      ])
      const worst = new Set(marks.map((m) => `${m.row},${m.col}`))
      for (let row = 0; row < 10; row++) {
        for (let col = 0; col < 10; col++) {
          // The cell's outermost ring of pixels, away from the corners (where the disc sits).
          const ring: Rgb[] = []
          const [x0, y0, c] = [col * 20 * s, row * 20 * s, 20 * s]
          for (let k = 0; k < c; k++) {
            ring.push(img.at(x0 + k, y0 + c - 1), img.at(x0 + k, y0 + c - 2 * s)) // bottom edge, both stroke pixels
            ring.push(img.at(x0 + c - 1, y0 + k), img.at(x0 + c - 2 * s, y0 + k)) // right edge
            ring.push(img.at(x0 + k, y0), img.at(x0, y0 + k)) // top and left edges
          }
          const outlined = ring.every(([r, g, b]) => r === 17 && g === 17 && b === 17)
          expect(outlined, `cell ${row},${col}`).toBe(worst.has(`${row},${col}`))
        }
      }
      // Each number's disc is in its cell's top-left corner.
      for (const m of marks) {
        expect(img.at(Math.floor(m.label.cx - m.label.r + 1.5 * s), Math.floor(m.label.cy))).toEqual([17, 17, 17])
        expect(m.label.cx + m.label.r).toBeLessThanOrEqual(m.x + m.width)
        expect(m.label.cy + m.label.r).toBeLessThanOrEqual(m.y + m.height)
        expect(m.label.cx - m.label.r).toBeGreaterThanOrEqual(m.x)
        expect(m.label.cy - m.label.r).toBeGreaterThanOrEqual(m.y)
      }
    })
  }

  for (const view of ['drawing', 'reference', 'combined'] as HeatmapView[]) {
    for (const s of [1, 2] as const) {
      it(`${view} view at scale ${s}: every ink pixel has its error's colour on the map, the other ink is grey context`, async () => {
        const W = 120
        const H = 90
        const R = [...circle(W, H, 60, 45, 30), ...segment(W, 5, 5, 110, 8)]
        const D = [...circle(W, H, 64, 43, 26, (a) => 3 * Math.sin(2 * a)), ...segment(W, 10, 80, 50, 85)]
        const field = errorFieldOf(W, H, R, D)
        const image = await renderHeatmap(field, { view, scale: s })
        const img = await raster(image.png)
        // The scale is fixed, whatever the score: 10 % of the side is the top colour.
        expect(image.maxPercent).toBe(HEATMAP_TOP_PERCENT)
        expect(image.maxPx).toBe((HEATMAP_TOP_PERCENT * 120) / 100)
        const expectations = new Map<number, Rgb>()
        const coloured = (pixels: Int32Array, errors: Int32Array): void =>
          pixels.forEach((p, n) => expectations.set(p, lut(mapIndex(errors[n], image.maxPx))))
        const context = (pixels: Int32Array): void => pixels.forEach((p) => expectations.set(p, CONTEXT_INK))
        if (view === 'drawing') {
          context(field.referencePixels)
          coloured(field.drawingPixels, field.drawingErrors)
        } else if (view === 'reference') {
          context(field.drawingPixels)
          coloured(field.referencePixels, field.referenceErrors)
        } else {
          coloured(field.referencePixels, field.referenceErrors)
          coloured(field.drawingPixels, field.drawingErrors)
        }
        let checked = 0
        const distinct = new Set<string>()
        for (const [p, rgb] of expectations) {
          const x = p % W
          const y = (p - x) / W
          for (let dy = 0; dy < s; dy++) {
            for (let dx = 0; dx < s; dx++) {
              if (underMarks(field, s, x * s + dx, y * s + dy)) continue
              expect(img.at(x * s + dx, y * s + dy), `pixel ${x},${y}`).toEqual(rgb)
              checked++
              distinct.add(rgb.join())
            }
          }
        }
        expect(checked).toBeGreaterThan(expectations.size * s * s * 0.9)
        expect(distinct.size).toBeGreaterThan(4)
      })
    }
  }

  it('tints each cell by its value on the same map, and leaves cells without error untinted', async () => {
    const field = knownField()
    const image = await renderHeatmap(field, { view: 'combined', scale: 1 })
    const img = await raster(image.png)
    const tint = (v: number): Rgb => {
      const c = lut(mapIndex(v, image.maxPx))
      return [0, 1, 2].map((k) => BACKGROUND[k] + (((c[k] - BACKGROUND[k]) * CELL_TINT) >> 8)) as unknown as Rgb
    }
    // A pixel near each cell's bottom-left corner: no ink there, no grid line, no outline or disc.
    for (let row = 0; row < 10; row++) {
      for (let col = 0; col < 10; col++) {
        const v = field.evaluation.grid[row][col]
        const [x, y] = [col * 20 + 5, row * 20 + 16]
        if (underMarks(field, 1, x, y, true)) continue
        expect(img.at(x, y), `cell ${row},${col}`).toEqual(v > 0 ? tint(v) : BACKGROUND)
      }
    }
  })

  it('cells follow the spec: pixel (y, x) lies in cell (floor(10 y / H), floor(10 x / W))', () => {
    for (const n of [64, 99, 100, 333, 500, 4096]) {
      const starts = gridCellStarts(n)
      const cells = gridCellOf(n)
      expect(starts[0]).toBe(0)
      expect(starts[10]).toBe(n)
      for (let k = 0; k < 10; k++) {
        for (let p = starts[k]; p < starts[k + 1]; p++) {
          expect(Math.floor((p * 10) / n)).toBe(k)
          expect(cells[p]).toBe(k)
        }
      }
    }
  })

  it('matches the golden image of a full overlay (within a small tolerance)', async () => {
    // Regenerate on purpose only: UPDATE_GOLDEN=1 npx vitest run test/main/render/heatmap.test.ts
    const golden = new URL('../../fixtures/heatmap-golden.png', import.meta.url)
    const W = 300
    const H = 240
    const R = [...circle(W, H, 150, 125, 80), ...segment(W, 30, 30, 270, 30), ...segment(W, 30, 30, 30, 200)]
    const D = [...circle(W, H, 158, 120, 74, (a) => 5 * Math.sin(3 * a)), ...segment(W, 36, 40, 260, 24)]
    const image = await renderHeatmap(errorFieldOf(W, H, R, D), { view: 'combined', scale: 2 })
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
      if (process.env.CI) throw new Error('the golden image is missing')
      await writeFile(golden, image.png)
    }
    const actual = await raster(image.png)
    const expected = await raster(await readFile(golden))
    expect([actual.width, actual.height]).toEqual([expected.width, expected.height])
    let off = 0
    let total = 0
    for (let i = 0; i < actual.data.length; i += 3) {
      const d = Math.max(...[0, 1, 2].map((k) => Math.abs(actual.data[i + k] - expected.data[i + k])))
      total += d
      if (d > 48) off++
    }
    const pixels = actual.width * actual.height
    // Text may be smoothed a little differently by another font build; the picture may not change.
    expect(off / pixels).toBeLessThan(0.003)
    expect(total / pixels).toBeLessThan(0.5)
  })
})
