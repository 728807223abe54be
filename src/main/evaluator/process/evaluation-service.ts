// What runs inside the evaluation process: one StreamingEvaluator per session, driven by the
// protocol. Pure apart from the port it is given.
import { StudioError, type Envelope } from '#shared/contract/errors.ts'
import type { RpcReply } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
import { serve } from '#shared/rpc/server.ts'
import type { ShapeAnalysis } from '#shared/contract/scores.ts'
import type { ErrorField } from '../core/error-field.ts'
import type { EvaluatorAnswer, EvaluatorRequest } from './protocol.ts'
import { StreamingEvaluator } from '../core/streaming-evaluator.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import { unpackStroke } from './packed-stroke.ts'
import { alignReference, isStill, ShapeAnalyser } from '../core/alignment/analyser.ts'

/**
 * What a session keeps beside its evaluator for the full evaluation: the reference (the shape
 * analyser is built from it the first time it is asked for), and, until the next edit, the
 * drawing's error field, its analysis and its field against the aligned reference. These are
 * never sent as they are (a reply's arrays may be moved to main): answers get copies. Nothing
 * here runs on the per-stroke path.
 */
interface FullEvaluationState {
  reference: Uint8Array
  analyser: ShapeAnalyser | null
  field: ErrorField | null | undefined
  analysis: ShapeAnalysis | null | undefined
  alignedField: ErrorField | null | undefined
}

const fullStates = new WeakMap<StreamingEvaluator, FullEvaluationState>()

function forgetFull(ev: StreamingEvaluator | undefined): void {
  if (!ev) return
  fullStates.get(ev)?.analyser?.dispose()
  fullStates.delete(ev)
}

function requireFull(ev: StreamingEvaluator, session: string): FullEvaluationState {
  const full = fullStates.get(ev)
  if (!full) throw new StudioError('evaluator', `session "${session}" has no reference kept for the full evaluation`)
  return full
}

/** An error field with arrays of its own (what is kept stays whole when a reply's arrays move). */
const copyOf = (f: ErrorField | null): ErrorField | null =>
  f && {
    ...f,
    referencePixels: f.referencePixels.slice(),
    referenceErrors: f.referenceErrors.slice(),
    drawingPixels: f.drawingPixels.slice(),
    drawingErrors: f.drawingErrors.slice()
  }

/** The error field of the drawing as it is, computed once per drawing (kept, never sent). */
function fieldOf(ev: StreamingEvaluator, full: FullEvaluationState): ErrorField | null {
  if (full.field === undefined) full.field = ev.errorField()
  return full.field
}

/** Placement, size and turn apart from shape (null while nothing is drawn), once per drawing. */
function analysisOf(ev: StreamingEvaluator, full: FullEvaluationState): ShapeAnalysis | null {
  if (full.analysis === undefined) {
    const field = fieldOf(ev, full)
    full.analyser ??= new ShapeAnalyser(full.reference, ev.width, ev.height)
    full.analysis = field ? full.analyser.analyse(field.drawingPixels, field.evaluation) : null
  }
  return full.analysis
}

/**
 * The errors of the drawing against the reference moved onto it by the alignment (scored by an
 * evaluator of its own, at the session's tolerance), once per drawing; the raw field when the
 * alignment is no move; null while nothing is drawn.
 */
function alignedFieldOf(ev: StreamingEvaluator, full: FullEvaluationState): ErrorField | null {
  if (full.alignedField !== undefined) return full.alignedField
  const field = fieldOf(ev, full)
  const analysis = analysisOf(ev, full)
  if (!field || !analysis || isStill(analysis.alignment)) return (full.alignedField = field)
  const { width, height } = ev
  const moved = alignReference(field.referencePixels, width, height, analysis.alignment, analysis.alignment.pivot)
  if (moved.length === 0)
    throw new StudioError('evaluator', 'the reference moved onto the drawing leaves the frame; compare it as drawn')
  const mask = new Uint8Array(width * height)
  for (const p of moved) mask[p] = 1
  const scorer = new StreamingEvaluator(mask, width, height, { tolerancePx: ev.tolerancePx })
  try {
    scorer.add(field.drawingPixels)
    return (full.alignedField = scorer.errorField())
  } finally {
    scorer.dispose()
  }
}

/** Requests that ask about the drawing without changing it. */
const QUESTIONS = new Set<EvaluatorRequest['type']>(['scores', 'errorField', 'analysis', 'alignedField'])

export function handleRequest(
  sessions: Map<string, StreamingEvaluator>,
  request: EvaluatorRequest
): Envelope<EvaluatorAnswer> {
  try {
    if (request.type === 'init') {
      const ev = new StreamingEvaluator(request.reference, request.width, request.height, {
        tolerancePx: request.tolerancePx
      })
      const previous = sessions.get(request.session)
      forgetFull(previous)
      previous?.dispose()
      sessions.set(request.session, ev)
      fullStates.set(ev, {
        reference: request.reference,
        analyser: null,
        field: undefined,
        analysis: undefined,
        alignedField: undefined
      })
      return { ok: true, value: { state: { evaluation: ev.evaluation() } } }
    }
    const ev = sessions.get(request.session)
    if (!ev)
      throw new StudioError(
        'evaluator',
        `no evaluation session "${request.session}" (it was never opened or was closed)`
      )
    let field: ErrorField | null | undefined
    let analysis: ShapeAnalysis | null | undefined
    const full = fullStates.get(ev)
    if (full && !QUESTIONS.has(request.type)) {
      // Any edit (or close) makes what is kept stale.
      full.field = undefined
      full.analysis = undefined
      full.alignedField = undefined
    }
    switch (request.type) {
      case 'add':
        ev.add(request.pixels)
        break
      case 'erase':
        ev.erase(request.pixels)
        break
      case 'stroke': {
        // The outline and its fill, here rather than on the thread that serves the studio.
        const pixels = rasterizeStroke(unpackStroke(request.stroke), ev)
        if (request.stroke.tool === 'pen') ev.add(pixels)
        else ev.erase(pixels)
        break
      }
      case 'clear':
        ev.clear()
        break
      case 'undo':
        ev.undo()
        break
      case 'redo':
        ev.redo()
        break
      case 'scores':
        break
      case 'errorField':
        field = ev.errorField()
        break
      case 'analysis':
        analysis = analysisOf(ev, requireFull(ev, request.session))
        break
      case 'alignedField':
        field = copyOf(alignedFieldOf(ev, requireFull(ev, request.session)))
        break
      case 'close': {
        const state = { evaluation: ev.evaluation() }
        sessions.delete(request.session)
        forgetFull(ev)
        ev.dispose()
        return { ok: true, value: { state } }
      }
    }
    return {
      ok: true,
      value: { state: { evaluation: ev.evaluation() }, field, analysis }
    }
  } catch (err) {
    if (err instanceof StudioError) return { ok: false, error: err.toInfo() }
    return {
      ok: false,
      error: { code: 'internal', message: `the evaluator failed on ${request?.type}: ${(err as Error)?.message}` }
    }
  }
}

/** Serve the protocol on a port until the process ends (the request is the call's argument). */
export function serveEvaluator(port: RpcPort): void {
  const sessions = new Map<string, StreamingEvaluator>()
  serve(port, (_method, arg) => handleRequest(sessions, arg as EvaluatorRequest), { transferOf: fieldBuffers })
}

/** An error field's arrays are made for the reply alone: they may move to main rather than be copied. */
function fieldBuffers(reply: RpcReply): ArrayBuffer[] {
  const field = reply.ok ? (reply.value as EvaluatorAnswer | undefined)?.field : null
  if (!field) return []
  return [field.referencePixels, field.referenceErrors, field.drawingPixels, field.drawingErrors]
    .filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer)
    .map((a) => a.buffer as ArrayBuffer)
}

/**
 * Run synthetic sessions (and strokes) through every code path, so the JIT has compiled the hot
 * loops before the user's first stroke: at the default frame size too, since the set-up's long loops are
 * only optimised once they have run long (measured: the first 500 x 500 set-ups in a process
 * take 9-17 ms, later ones about 3.5 ms; a cold first stroke ~7 ms, a warm one < 0.2 ms).
 */
export function warmUp(): void {
  for (const side of [128, 500]) {
    const reference = new Uint8Array(side * side)
    const at = (y: number, x: number): number => Math.floor((y * side) / 128) * side + Math.floor((x * side) / 128)
    for (let i = 8; i < 120; i++) {
      reference[at(20, i)] = 1
      reference[at(i, 64)] = 1
      reference[at(i >> 1, i)] = 1
    }
    const ev = new StreamingEvaluator(reference, side, side)
    for (let round = 0; round < 40; round++) {
      const stroke: number[] = []
      const y = 10 + ((round * 7) % 100)
      for (let x = 5 + round; x < 90 + round && x < 128; x++) stroke.push(at(y, x), at(y + 1, x))
      ev.add(stroke)
      ev.evaluation()
      if (round % 3 === 0) {
        ev.undo()
        ev.evaluation()
        ev.redo()
      }
      if (round % 5 === 0) ev.erase(stroke.slice(0, 20))
      ev.evaluation()
    }
    const field = ev.errorField()
    if (field) {
      const analyser = new ShapeAnalyser(reference, side, side)
      analyser.analyse(field.drawingPixels, field.evaluation)
      analyser.dispose()
    }
    ev.dispose()
  }
  // Strokes are outlined and filled here too: a few of every kind (short, long, pressure
  // changing, across many rows) so the first real stroke is not the fill's first run.
  for (let round = 0; round < 30; round++) {
    const n = [12, 60, 300][round % 3]
    const points = Array.from({ length: n }, (_, i) => {
      const a = (i / n) * Math.PI * (2 + (round % 4))
      return {
        x: 250 + (60 + round) * Math.cos(a) + (round % 2) * 8 * Math.cos(a * 9),
        y: 250 + (40 + round) * Math.sin(a),
        pressure: 0.2 + 0.7 * Math.abs(Math.sin(i / 7)),
        tiltX: 0,
        tiltY: 0,
        t: i * 8
      }
    })
    rasterizeStroke({ tool: 'pen', size: 1 + (round % 12), points }, { width: 500, height: 500 })
  }
}
