import type { Evaluation, FullEvaluation } from '#shared/contract/scores.ts'
import { alignmentWords, proportionWords } from '#shared/feedback/alignment-words.ts'

const pct = (v: number): string => `${v.toFixed(1)} %`

/** The scores for people: one decimal, the headline first. */
export function formatEvaluation(e: Evaluation | FullEvaluation): string[] {
  if (e.status === 'empty') return [`no score: ${e.reason} (reference pixels ${e.referencePixels}, drawing pixels 0)`]
  const analysis: string[] = []
  if ('alignment' in e) {
    const w = alignmentWords(e.alignment)
    analysis.push(
      `placement     ${w.placement}`,
      `size          ${w.size}`,
      `rotation      ${w.rotation}`,
      `shape error   ${w.shape} once aligned (top5Error with placement, size and rotation taken out; mean ${pct(e.alignment.meanError)})`,
      `proportion    ${proportionWords(e.proportion)}`
    )
  }
  return [
    `top5Error     ${pct(e.top5Error)}   (mean of the 5 worst grid cells, % of the frame's longest side)`,
    `meanError     ${pct(e.meanError)}`,
    `topError      ${pct(e.topError)}`,
    `extra ink     mean ${pct(e.extraInk.mean)}, max ${pct(e.extraInk.max)}`,
    `missed lines  mean ${pct(e.missedLines.mean)}, max ${pct(e.missedLines.max)}`,
    `precision ${e.precision.toFixed(3)}  recall ${e.recall.toFixed(3)}  F1 ${e.f1.toFixed(3)}  (within ${e.tolerancePx} px)`,
    `pixels        reference ${e.referencePixels}, drawing ${e.drawingPixels}`,
    `worst cells   ${e.worstCells.map((c, i) => `${i + 1}: row ${c.row} col ${c.col} (${c.value} px)`).join(', ')}`,
    ...analysis
  ]
}
