// A session's drawings laid out from its plan: which reference comes when and for how long.
// Listed order goes round the items; random order shuffles them each round (never the same
// reference twice in a row across rounds when there is a choice). Times come from the item, else
// from the plan's schedule in turn.
import type { SessionPlan } from '../contract/sessions.ts'
import { seededRandom } from '../drills/random.ts'

export interface LaidOutDrawing {
  referenceId: string
  seconds: number
}

export function layOutSession(plan: SessionPlan, seed: number): LaidOutDrawing[] {
  const { items, count, seconds, order } = plan
  if (items.length === 0) throw new Error('a session needs at least one reference')
  const rand = seededRandom(seed)
  const sequence: number[] = []
  while (sequence.length < count) {
    const round = items.map((_, i) => i)
    if (order === 'random') {
      for (let i = round.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1))
        ;[round[i], round[j]] = [round[j], round[i]]
      }
      // Across rounds: swap the first with another if it repeats the last one drawn.
      if (round.length > 1 && round[0] === sequence[sequence.length - 1]) [round[0], round[1]] = [round[1], round[0]]
    }
    sequence.push(...round)
  }
  return sequence.slice(0, count).map((i, k) => ({
    referenceId: items[i].referenceId,
    seconds: items[i].seconds ?? seconds[k % seconds.length]
  }))
}
