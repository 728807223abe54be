// The coarse-to-fine search for the similarity that best moves the drawing onto the reference:
// starts on grids of shifts around three guesses (no move; the centroids matched; that and the
// sizes matched by the inks' spread), a few turns, scored on the coarse level (symmetric mean
// distance, coarse maps); a compass search from the best start of each guess; then a finer
// compass search from the winner that reads the drawing's distances on the reference's exact
// map (the other direction, read from the drawing's coarse map, would bias the placement by up
// to half a cell, so the fine level leaves it out: near the answer it adds nothing). Deterministic.
import { levelDistance, type Level } from './objective.ts'
import { IDENTITY, type Pivot, type SimilarityParams } from './similarity.ts'

const DEG = Math.PI / 180
/** Bounds the search never leaves: sizes from a quarter to four times, turns up to 45 degrees. */
const MAX_LOG_SCALE = Math.log(4)
const MAX_THETA = 45 * DEG
/** Turns tried from the best start, degrees. */
const START_TURNS = [-8, 8]
/** Starting shifts: a (2 n + 1)^2 grid this share of the side apart. */
const START_GRID = 2
const START_GRID_STEP = 0.04

export interface SearchInput {
  coarse: Level
  fine: Level
  pivot: Pivot
  /** The offset that puts the drawing's ink centroid on the reference's. */
  centroidOffset: { dx: number; dy: number }
  /** The drawing's ink spread over the reference's (a first guess at the scale). */
  spreadRatio: number
  /** The frame's longer side: translations stay within it. */
  side: number
}

export interface SearchResult {
  params: SimilarityParams
  /** The estimate minimised, at the fine level, frame pixels. */
  distance: number
  /** Objective evaluations spent on each level (a machine-independent cost). */
  coarseEvaluations: number
  fineEvaluations: number
}

type Steps = [number, number, number, number]
const AXES = ['dx', 'dy', 'logScale', 'theta'] as const

function clampParams(p: SimilarityParams, side: number): SimilarityParams {
  return {
    dx: Math.max(-side, Math.min(side, p.dx)),
    dy: Math.max(-side, Math.min(side, p.dy)),
    logScale: Math.max(-MAX_LOG_SCALE, Math.min(MAX_LOG_SCALE, p.logScale)),
    theta: Math.max(-MAX_THETA, Math.min(MAX_THETA, p.theta))
  }
}

/**
 * Compass search: try a step up and down each axis, keep any improvement, halve every step when
 * none helps, stop once the steps are below `minSteps` or the evaluations run out.
 */
function compassSearch(
  score: (p: SimilarityParams) => number,
  start: SimilarityParams,
  startValue: number,
  steps: Steps,
  minSteps: Steps,
  maxEvaluations: number,
  side: number
): { params: SimilarityParams; value: number } {
  let params = start
  let value = startValue
  let evaluations = 0
  const step = [...steps]
  while (evaluations < maxEvaluations) {
    let improved = false
    for (let a = 0; a < 4 && evaluations < maxEvaluations; a++) {
      for (const sign of [1, -1]) {
        const next = clampParams({ ...params, [AXES[a]]: params[AXES[a]] + sign * step[a] }, side)
        if (next[AXES[a]] === params[AXES[a]]) continue
        const v = score(next)
        evaluations++
        if (v < value) {
          params = next
          value = v
          improved = true
          break
        }
      }
    }
    if (!improved) {
      let done = true
      for (let a = 0; a < 4; a++) {
        step[a] /= 2
        if (step[a] >= minSteps[a]) done = false
      }
      if (done) break
    }
  }
  return { params, value }
}

export function searchAlignment(input: SearchInput): SearchResult {
  const { coarse, fine, pivot, side } = input
  let coarseEvaluations = 0
  let fineEvaluations = 0
  const coarseScore = (p: SimilarityParams): number => {
    coarseEvaluations++
    return levelDistance(coarse, p, pivot)
  }
  const fineScore = (p: SimilarityParams): number => {
    fineEvaluations++
    return levelDistance(fine, p, pivot)
  }

  // Starts: shifts on a grid around no shift at the same size, and around the shift that
  // matches the centroids at the same size and at the spread's ratio (a drawing under way has
  // its centroid and spread off, so neither guess is trusted alone).
  const logSpread = Math.log(input.spreadRatio)
  const guesses = [
    { dx: 0, dy: 0, logScale: 0 },
    { ...input.centroidOffset, logScale: 0 },
    { ...input.centroidOffset, logScale: Number.isFinite(logSpread) ? logSpread : 0 }
  ]
  type Start = { params: SimilarityParams; value: number }
  const step = START_GRID_STEP * side
  // The best start of each guess, each also turned a little either way.
  const starts: Start[] = guesses.map((guess) => {
    let best: Start = { params: IDENTITY, value: Infinity }
    for (let i = -START_GRID; i <= START_GRID; i++)
      for (let j = -START_GRID; j <= START_GRID; j++) {
        const params = clampParams({ ...guess, dx: guess.dx + i * step, dy: guess.dy + j * step, theta: 0 }, side)
        const value = coarseScore(params)
        if (value < best.value) best = { params, value }
      }
    for (const turn of START_TURNS) {
      const params = clampParams({ ...best.params, theta: turn * DEG }, side)
      const value = coarseScore(params)
      if (value < best.value) best = { params, value }
    }
    return best
  })

  const f = coarse.referenceMap.factor
  let best = { params: IDENTITY, value: Infinity }
  for (const s of starts) {
    const r = compassSearch(coarseScore, s.params, s.value, [f, f, 0.04, 3 * DEG], [f / 2, f / 2, 0.01, DEG], 100, side)
    if (r.value < best.value) best = r
  }

  const t0 = Math.max(0.5, f / 2)
  const r = compassSearch(
    fineScore,
    best.params,
    fineScore(best.params),
    [t0, t0, 0.005, 0.4 * DEG],
    [0.15, 0.15, 0.0015, 0.1 * DEG],
    240,
    side
  )
  return { params: r.params, distance: r.value, coarseEvaluations, fineEvaluations }
}
