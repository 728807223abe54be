// The canvas overlays against their definitions, pixel by pixel: every frame pixel's colour and
// alpha follow from the error field alone (brute-force distances, render/field.ts).
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ERROR_MAP, HEATMAP_TOP_PERCENT, mapIndex } from '#shared/colormap.ts'
import type { HeatmapView } from '#shared/contract/attempts.ts'
import { EXTRA, HIT, MISSED } from '#shared/feedback/palette.ts'
import { gridCellOf } from '#shared/grid.ts'
import { CELL_ALPHA, CONTEXT_ALPHA, PALE_ALPHA, renderOverlay } from '#main/render/overlay.ts'
import { errorFieldOf } from './field.ts'

type Rgba = [number, number, number, number]

async function rgba(png: Buffer): Promise<{ width: number; height: number; at: (x: number, y: number) => Rgba }> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => [...data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4)] as Rgba
  }
}

const W = 220
const H = 160
// A reference of two lines and a drawing that follows one closely, the other 6 px off, plus a stray mark.
const R = [
  ...Array.from({ length: 60 }, (_, i) => 10 * W + 15 + i),
  ...Array.from({ length: 40 }, (_, i) => (20 + i) * W + 70)
]
const D = [
  ...Array.from({ length: 58 }, (_, i) => 11 * W + 16 + i),
  ...Array.from({ length: 40 }, (_, i) => (20 + i) * W + 64),
  55 * W + 10,
  55 * W + 11
]
const field = errorFieldOf(W, H, R, D)
const maxPx = (HEATMAP_TOP_PERCENT * Math.max(W, H)) / 100
const mapped = (e: number, alpha: number): Rgba => {
  const k = mapIndex(e, maxPx) * 3
  return [ERROR_MAP[k], ERROR_MAP[k + 1], ERROR_MAP[k + 2], alpha]
}

/** What one frame pixel must be: the last layer painted over it wins (cells, then reference, then drawing). */
function expected(layer: 'heatmap' | 'match' | 'reference', view: HeatmapView): (p: number) => Rgba {
  const rowCell = gridCellOf(H)
  const colCell = gridCellOf(W)
  const rIndex = new Map(Array.from(field.referencePixels, (p, n) => [p, n]))
  const dIndex = new Map(Array.from(field.drawingPixels, (p, n) => [p, n]))
  const t = field.evaluation.tolerancePx
  return (p) => {
    const r = rIndex.get(p)
    const d = dIndex.get(p)
    if (layer === 'reference') return r === undefined ? [0, 0, 0, 0] : [0, 0, 0, 255]
    if (layer === 'match') {
      if (d !== undefined) return [...(field.drawingErrors[d] <= t ? HIT : EXTRA), 255] as Rgba
      if (r !== undefined && field.referenceErrors[r] > t) return [...MISSED, 255] as Rgba
      return [0, 0, 0, 0]
    }
    if (d !== undefined && view !== 'reference') return mapped(field.drawingErrors[d], 255)
    if (r !== undefined && view === 'drawing') return [120, 116, 110, CONTEXT_ALPHA]
    if (r !== undefined) return mapped(field.referenceErrors[r], view === 'combined' ? PALE_ALPHA : 255)
    const v = field.evaluation.grid[rowCell[Math.floor(p / W)]][colCell[p % W]]
    return v > 0 ? mapped(v, CELL_ALPHA) : [0, 0, 0, 0]
  }
}

describe('canvas overlays', () => {
  const cases: ['heatmap' | 'match' | 'reference', HeatmapView][] = [
    ['heatmap', 'combined'],
    ['heatmap', 'drawing'],
    ['heatmap', 'reference'],
    ['match', 'combined'],
    ['reference', 'combined']
  ]
  for (const [layer, view] of cases)
    for (const scale of [1, 2] as const) {
      it(`${layer} (${view}) at ${scale}x: every pixel is what the field says, transparent where there is nothing`, async () => {
        const image = await renderOverlay(field, { layer, view, scale })
        expect([image.width, image.height]).toEqual([W * scale, H * scale])
        const img = await rgba(image.png)
        const want = expected(layer, view)
        let checked = 0
        for (let y = 0; y < H; y++)
          for (let x = 0; x < W; x++) {
            const e = want(y * W + x)
            for (const [dx, dy] of [
              [0, 0],
              [scale - 1, scale - 1]
            ]) {
              const got = img.at(x * scale + dx, y * scale + dy)
              // Fully transparent pixels may keep any colour.
              expect(got[3] === 0 && e[3] === 0 ? e : got, `(${x}, ${y})`).toEqual(e)
              checked++
            }
          }
        expect(checked).toBe(W * H * 2)
      })
    }

  it('has hits, extra ink and missed lines to tell apart (the field behind the tests above)', () => {
    // 1 % of 220 px: the close line (1 px off) is a hit, the far one (6 px) and the stray mark are extra.
    expect(field.evaluation.tolerancePx).toBe(2)
    const hits = field.drawingErrors.filter((e) => e <= 2).length
    expect(hits).toBe(58)
    expect(field.drawingErrors.length - hits).toBe(42)
    expect(field.referenceErrors.filter((e) => e > 2).length).toBeGreaterThan(30)
  })
})
