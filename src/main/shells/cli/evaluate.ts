import type { Evaluation } from '#shared/contract/scores.ts'
import type { ErrorField } from '#main/evaluator/core/error-field.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { maskToPixels } from '#main/references/ink.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { CliError } from './errors.ts'

/** The spec's scores of one drawing against one reference, both as ink masks of a frame. */
export function evaluateMasks(
  reference: Uint8Array,
  drawing: Uint8Array,
  width: number,
  height: number,
  source = 'the reference'
): Evaluation {
  return scoreMasks(reference, drawing, width, height, source).evaluation
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
  ev.add(maskToPixels(drawing))
  return { evaluation: ev.evaluation(), field: ev.errorField() }
}
