import { CELLS, cellMaxD, cellMaxR, cellValue, worstCells } from './layout'

/**
 * The spec's grid into cellValue (each cell: the larger of its drawing and reference maxima),
 * and its five worst cells into worstCells: largest value first, equal values in row-major
 * order (scanning in row-major order, a cell enters only if strictly larger than the fifth).
 */
export function rankCells(): void {
  const drawing = cellMaxD(),
    reference = cellMaxR(),
    values = cellValue(),
    top = worstCells()
  for (let c = 0; c < CELLS; c += 4) values.setVector(c, i32x4.max_s(drawing.vector(c), reference.vector(c)))
  let kept = 0
  for (let c = 0; c < CELLS; c++) {
    const v = values[c]
    if (kept == 5 && v <= values[top[4]]) continue
    let at = kept < 5 ? kept++ : 4
    while (at > 0 && values[top[at - 1]] < v) {
      top[at] = top[at - 1]
      at--
    }
    top[at] = c
  }
}
