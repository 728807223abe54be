// Placement, size and rotation apart from shape: the similarity that best moves the drawing's
// ink onto the reference's (search.ts), and the spec's figures for the drawing so moved (the
// shape error), scored by a StreamingEvaluator of its own on the same reference. Built once per
// reference; each analysis then costs about one search plus one scoring of the moved drawing.
import { StudioError } from '#shared/contract/errors.ts'
import type { ScoredEvaluation, ShapeAnalysis } from '#shared/contract/scores.ts'
import { checkFrame } from '../frame.ts'
import { StreamingEvaluator } from '../streaming-evaluator.ts'
import { distanceMapOf, type DistanceMap } from './distance-map.ts'
import { inkStats, type InkStats } from './ink-stats.ts'
import { samplePixels, type Level, type Samples } from './objective.ts'
import { searchAlignment } from './search.ts'
import { drawingToReference, moveOf, paramsOf, referenceToDrawing, type Move, type Pivot } from './similarity.ts'
import { warpPixels, warpScratch, type WarpScratch } from './warp.ts'

/**
 * The drawing's map and the coarse reference map have the frame's longer side in at most this
 * many cells; the fine level reads the reference's exact map, which pins the result down.
 */
const CELLS = 128
const COARSE_SAMPLES = 150
const FINE_SAMPLES = 600
/**
 * Distances are capped at these shares of the frame side in the search (generous while coarse,
 * tighter when fine), so the part of a drawing not drawn yet does not pull the rest off its place.
 */
const COARSE_CAP = 0.12
const FINE_CAP = 0.05

/** (mean over D of e + mean over R of e) / 2, in % of the side. */
export const symmetricMean = (e: ScoredEvaluation): number => (e.extraInk.mean + e.missedLines.mean) / 2

/**
 * The drawing moved onto the reference by a reported move about `pivot` (see warp.ts): what the
 * aligned figures are the figures of.
 */
export function alignDrawing(
  drawingPixels: ArrayLike<number>,
  width: number,
  height: number,
  move: Move,
  pivot: Pivot,
  scratch: WarpScratch = warpScratch(width, height)
): Int32Array {
  const params = paramsOf(move)
  return warpPixels(
    drawingPixels,
    width,
    height,
    drawingToReference(params, pivot),
    referenceToDrawing(params, pivot),
    scratch
  )
}

/**
 * The reference moved onto the drawing by a reported move about `pivot` (F applied to its ink):
 * what the studio compares the drawing with when it shows the comparison aligned.
 */
export function alignReference(
  referencePixels: ArrayLike<number>,
  width: number,
  height: number,
  move: Move,
  pivot: Pivot,
  scratch: WarpScratch = warpScratch(width, height)
): Int32Array {
  const params = paramsOf(move)
  return warpPixels(
    referencePixels,
    width,
    height,
    referenceToDrawing(params, pivot),
    drawingToReference(params, pivot),
    scratch
  )
}

export const STILL: Move = { dx: 0, dy: 0, scale: 1, rotationDeg: 0 }

export const isStill = (m: Move): boolean => m.dx === 0 && m.dy === 0 && m.scale === 1 && m.rotationDeg === 0

/** The smallest power of two that brings `side` down to at most `cells`. */
function factorFor(side: number, cells: number): number {
  let f = 1
  while (side / f > cells) f *= 2
  return f
}

/** Machine-independent work of one analysis. */
export interface AnalysisCounters {
  /** Objective evaluations in the search. */
  evaluations: number
  /** Distances read from the maps by those evaluations. */
  lookups: number
  /** Pixels of the moved drawing that were scored. */
  alignedPixels: number
}

export interface AnalyserOptions {
  /** dist(., R) for every frame pixel, when the caller has it already (it is computed otherwise). */
  referenceDistance?: Uint16Array
}

export class ShapeAnalyser {
  readonly width: number
  readonly height: number
  private readonly mask: Uint8Array
  private readonly referenceMap: DistanceMap
  private readonly coarseReferenceMap: DistanceMap
  private readonly reference: InkStats
  private readonly coarseSamples: Samples
  private readonly factor: number
  private readonly scratch: WarpScratch
  private scorer: StreamingEvaluator | null = null
  /** The work of the last analysis. */
  counters: AnalysisCounters = { evaluations: 0, lookups: 0, alignedPixels: 0 }

  /** From the reference ink mask (width * height bytes, non-zero = ink). */
  constructor(referenceMask: Uint8Array, width: number, height: number, options: AnalyserOptions = {}) {
    checkFrame(width, height)
    if (referenceMask.length !== width * height)
      throw new StudioError(
        'invalid-input',
        `the reference mask has ${referenceMask.length} pixels; a ${width} x ${height} frame has ${width * height}`
      )
    const pixels: number[] = []
    for (let p = 0; p < referenceMask.length; p++) if (referenceMask[p] !== 0) pixels.push(p)
    if (pixels.length === 0)
      throw new StudioError('no-ink', 'the reference has no ink; lower the threshold or pick another image')
    this.width = width
    this.height = height
    this.mask = referenceMask
    const side = Math.max(width, height)
    this.factor = factorFor(side, CELLS)
    const given = options.referenceDistance
    if (given && given.length !== width * height)
      throw new StudioError(
        'invalid-input',
        `the reference distance map has ${given.length} pixels, not ${width * height}`
      )
    this.referenceMap = given ? { data: given, width, height, factor: 1 } : distanceMapOf(pixels, width, height, 1)
    this.coarseReferenceMap = distanceMapOf(pixels, width, height, this.factor)
    this.reference = inkStats(pixels, width)
    this.coarseSamples = samplePixels(pixels, width, COARSE_SAMPLES)
    this.scratch = warpScratch(width, height)
  }

  /**
   * The drawing against the reference, from its ink pixels (row-major indices, each once) and
   * its raw scores. The alignment found must lower the symmetric mean distance of the raw
   * drawing (the mean of extraInk.mean and missedLines.mean); otherwise the identity stands (it
   * is always a candidate), so the aligned figures are never worse than the raw ones.
   */
  analyse(drawingPixels: ArrayLike<number>, raw: ScoredEvaluation): ShapeAnalysis {
    const { width, height } = this
    if (raw.drawingPixels !== drawingPixels.length)
      throw new StudioError(
        'invalid-input',
        `the scores are of ${raw.drawingPixels} drawing pixels, the drawing has ${drawingPixels.length}`
      )
    if (drawingPixels.length === 0) throw new StudioError('invalid-input', 'there is no drawing to align')
    const side = Math.max(width, height)
    const drawing = inkStats(drawingPixels, width)
    const pivot = { x: drawing.cx, y: drawing.cy }
    const drawingMap = distanceMapOf(drawingPixels, width, height, this.factor)
    const coarse: Level = {
      referenceMap: this.coarseReferenceMap,
      drawingSamples: samplePixels(drawingPixels, width, COARSE_SAMPLES),
      cap: COARSE_CAP * side,
      reverse: { drawingMap, referenceSamples: this.coarseSamples }
    }
    const fine: Level = {
      referenceMap: this.referenceMap,
      drawingSamples: samplePixels(drawingPixels, width, FINE_SAMPLES),
      cap: FINE_CAP * side
    }
    const search = searchAlignment({
      coarse,
      fine,
      pivot,
      centroidOffset: { dx: drawing.cx - this.reference.cx, dy: drawing.cy - this.reference.cy },
      spreadRatio: this.reference.spread > 0 ? drawing.spread / this.reference.spread : 1,
      side
    })

    let move = moveOf(search.params)
    let aligned = this.score(drawingPixels, move, pivot)
    if (!aligned || symmetricMean(aligned) >= symmetricMean(raw)) {
      move = STILL
      aligned = raw
    }
    const samples = (level: Level): number =>
      level.drawingSamples.x.length + (level.reverse?.referenceSamples.x.length ?? 0)
    this.counters = {
      evaluations: search.coarseEvaluations + search.fineEvaluations,
      lookups: search.coarseEvaluations * samples(coarse) + search.fineEvaluations * samples(fine),
      alignedPixels: aligned.drawingPixels
    }
    return {
      alignment: {
        ...move,
        top5Error: aligned.top5Error,
        meanError: aligned.meanError,
        pivot
      },
      proportion: {
        widthRatio: (drawing.maxX - drawing.minX + 1) / (this.reference.maxX - this.reference.minX + 1),
        heightRatio: (drawing.maxY - drawing.minY + 1) / (this.reference.maxY - this.reference.minY + 1)
      }
    }
  }

  /** The spec's figures of the drawing moved by `move`; null when none of it stays in the frame. */
  private score(drawingPixels: ArrayLike<number>, move: Move, pivot: Pivot): ScoredEvaluation | null {
    const moved = alignDrawing(drawingPixels, this.width, this.height, move, pivot, this.scratch)
    if (moved.length === 0) return null
    this.scorer ??= new StreamingEvaluator(this.mask, this.width, this.height)
    this.scorer.reset()
    this.scorer.add(moved)
    const e = this.scorer.evaluation()
    return e.status === 'scored' ? e : null
  }

  dispose(): void {
    this.scorer?.dispose()
    this.scorer = null
  }
}
