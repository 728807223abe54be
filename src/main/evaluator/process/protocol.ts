// The message protocol between main and the evaluation process. Requests carry pixels as
// Int32Array (structured clone); every reply is a few hundred bytes of scores, except the
// on-demand error field.
import type { ErrorInfo } from '#shared/contract/errors.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { ErrorField } from '../core/error-field.ts'

export type EvaluatorRequest =
  | {
      id: number
      session: string
      type: 'init'
      width: number
      height: number
      reference: Uint8Array
      tolerancePx?: number
    }
  | { id: number; session: string; type: 'add' | 'erase'; pixels: Int32Array }
  | { id: number; session: string; type: 'clear' | 'undo' | 'redo' | 'scores' | 'errorField' | 'close' }

/** Where the drawing stands after a request (its history is its owner's, main-side). */
export interface EvaluatorState {
  evaluation: Evaluation
}

export type EvaluatorReply =
  | { id: number; ok: true; state: EvaluatorState; field?: ErrorField | null }
  | { id: number; ok: false; error: ErrorInfo }

/** The two ends a process entry can talk through (worker_threads or Electron's parentPort). */
export interface ReplyPort {
  onRequest(handler: (request: EvaluatorRequest) => void): void
  reply(message: EvaluatorReply): void
}
