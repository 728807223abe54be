// The messages between main and the evaluation process, carried by the request/reply layer
// (src/shared/rpc) over a worker thread's or utility process's port: each request is one call
// whose method is its type and whose argument is the request itself. A stroke travels as its
// points (packed-stroke.ts) and is rasterised in the process; pixels (a pixel session log's
// edits) travel as Int32Array; every answer is a few hundred bytes of scores, except the
// on-demand error field, whose arrays the worker moves rather than copies.
import type { Evaluation, ShapeAnalysis } from '#shared/contract/scores.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
import type { ErrorField } from '../core/error-field.ts'
import type { PackedStroke } from './packed-stroke.ts'

export type EvaluatorRequest =
  | {
      session: string
      type: 'init'
      width: number
      height: number
      reference: Uint8Array
      tolerancePx?: number
    }
  | { session: string; type: 'add' | 'erase'; pixels: Int32Array }
  /** A pen stroke adds its pixels, an eraser stroke erases them, rasterised in the process. */
  | { session: string; type: 'stroke'; stroke: PackedStroke }
  | {
      session: string
      type: 'clear' | 'undo' | 'redo' | 'scores' | 'errorField' | 'analysis' | 'alignedField' | 'close'
    }

/** Where the drawing stands after a request (its history is its owner's, main-side). */
export interface EvaluatorState {
  evaluation: Evaluation
}

/** The value of every successful reply. */
export interface EvaluatorAnswer {
  state: EvaluatorState
  field?: ErrorField | null
  analysis?: ShapeAnalysis | null
}

/** One running evaluation process, however it was started: main's end of its port. */
export type EvaluatorChannel = RpcPort
