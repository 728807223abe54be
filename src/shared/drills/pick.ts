// The adaptive pick: the next drill is drawn at random, weighted towards the kinds done worst
// lately (their recent top-5 error, the evaluator's score, comparable across kinds). A kind never
// tried weighs as much as the worst, so everything gets tried; every kind keeps a floor, so a
// kind done well still comes back now and then.
import { DRILL_KINDS, type DrillKind } from './drills.ts'
import type { Random } from './random.ts'

export interface DrillResult {
  kind: DrillKind
  /** The evaluator's headline score of the attempt (% of the frame side). */
  top5Error: number
  /** When it was drawn (ms since the epoch): the latest count. */
  at: number
}

/** How many of each kind's latest results count. */
export const RECENT = 5

export function drillWeights(
  results: readonly DrillResult[],
  kinds: readonly DrillKind[] = DRILL_KINDS
): Map<DrillKind, number> {
  const recent = new Map<DrillKind, number>()
  for (const kind of kinds) {
    const mine = results
      .filter((r) => r.kind === kind && Number.isFinite(r.top5Error))
      .sort((a, b) => b.at - a.at)
      .slice(0, RECENT)
    if (mine.length) recent.set(kind, mine.reduce((s, r) => s + r.top5Error, 0) / mine.length)
  }
  const seen = [...recent.values()]
  const worst = seen.length ? Math.max(...seen) : 1
  const floor = seen.length ? Math.max(0.05, 0.25 * (seen.reduce((s, v) => s + v, 0) / seen.length)) : 1
  return new Map(kinds.map((k) => [k, (recent.get(k) ?? worst) + floor]))
}

/** One kind, drawn with those weights. */
export function pickDrillKind(
  results: readonly DrillResult[],
  rand: Random,
  kinds: readonly DrillKind[] = DRILL_KINDS
): DrillKind {
  if (kinds.length === 0) throw new Error('no drill kinds to pick from')
  const weights = drillWeights(results, kinds)
  const total = [...weights.values()].reduce((s, v) => s + v, 0)
  let x = rand() * total
  for (const [kind, w] of weights) {
    if (x < w) return kind
    x -= w
  }
  return kinds[kinds.length - 1]
}
