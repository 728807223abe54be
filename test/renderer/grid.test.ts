import { describe, expect, it } from 'vitest'
import { cellRect, gridLines } from '#renderer/canvas/grid.ts'

describe('grid overlay geometry', () => {
  it('draws the lines where the evaluator’s cells change (pixel p is in cell floor(p * 10 / n))', () => {
    for (const n of [64, 100, 333, 500, 501, 999]) {
      const lines = gridLines(n)
      expect(lines).toHaveLength(9)
      for (const [k, line] of lines.entries()) {
        expect(Math.floor((line * 10) / n)).toBe(k + 1)
        expect(Math.floor(((line - 1) * 10) / n)).toBe(k)
      }
    }
  })

  it('tiles the frame with the cells', () => {
    const frame = { width: 333, height: 250 }
    let area = 0
    for (let r = 0; r < 10; r++)
      for (let c = 0; c < 10; c++) area += cellRect(r, c, frame).width * cellRect(r, c, frame).height
    expect(area).toBe(333 * 250)
    expect(cellRect(9, 9, frame)).toMatchObject({ x: 300, y: 225, width: 33, height: 25 })
  })
})
