import type { EmptyEvaluation, Evaluation, FullEvaluation } from '#shared/contract/scores.ts'
import type { ErrorField } from '#main/evaluator/core/error-field.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { maskToPixels } from '#main/references/ink.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { ShapeAnalyser } from '#main/evaluator/core/alignment/analyser.ts'
import { CliError } from './errors.ts'

/**
 * The full evaluation of one drawing against one reference, both as ink masks of a frame: the
 * spec's scores with the shape analysis (alignment, proportion), and the per-pixel errors
 * behind them (for heatmaps); no score and no field for an empty drawing.
 */
export function evaluateMasks(
  reference: Uint8Array,
  drawing: Uint8Array,
  width: number,
  height: number,
  source = 'the reference'
): { evaluation: FullEvaluation | EmptyEvaluation; field: ErrorField | null } {
  const { evaluation, field } = scoreMasks(reference, drawing, width, height, source)
  if (evaluation.status === 'empty' || !field) return { evaluation: evaluation as EmptyEvaluation, field: null }
  const analyser = new ShapeAnalyser(reference, width, height)
  try {
    return { evaluation: { ...evaluation, ...analyser.analyse(field.drawingPixels, evaluation) }, field }
  } finally {
    analyser.dispose()
  }
}

/** The scores and, when there is a drawing, every per-pixel error behind them (for heatmaps). */
export function scoreMasks(
  reference: Uint8Array,
  drawing: Uint8Array,
  width: number,
  height: number,
  source = 'the reference'
): { evaluation: Evaluation; field: ErrorField | null } {
  let ev: StreamingEvaluator
  try {
    ev = new StreamingEvaluator(reference, width, height)
  } catch (err) {
    if (err instanceof StudioError) throw new CliError(`${source}: ${err.message}`)
    throw err
  }
  try {
    ev.add(maskToPixels(drawing))
    return { evaluation: ev.evaluation(), field: ev.errorField() }
  } finally {
    ev.dispose()
  }
}
