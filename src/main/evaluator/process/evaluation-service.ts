// What runs inside the evaluation process: one StreamingEvaluator per session, driven by the
// protocol. Pure apart from the port it is given.
import { StudioError, type Envelope } from '#shared/contract/errors.ts'
import type { RpcReply } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
import { serve } from '#shared/rpc/server.ts'
import type { ErrorField } from '../core/error-field.ts'
import type { EvaluatorAnswer, EvaluatorRequest } from './protocol.ts'
import { StreamingEvaluator } from '../core/streaming-evaluator.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import { unpackStroke } from './packed-stroke.ts'

export function handleRequest(
  sessions: Map<string, StreamingEvaluator>,
  request: EvaluatorRequest
): Envelope<EvaluatorAnswer> {
  try {
    if (request.type === 'init') {
      const ev = new StreamingEvaluator(request.reference, request.width, request.height, {
        tolerancePx: request.tolerancePx
      })
      sessions.get(request.session)?.dispose()
      sessions.set(request.session, ev)
      return { ok: true, value: { state: { evaluation: ev.evaluation() } } }
    }
    const ev = sessions.get(request.session)
    if (!ev)
      throw new StudioError(
        'evaluator',
        `no evaluation session "${request.session}" (it was never opened or was closed)`
      )
    let field: ErrorField | null | undefined
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
      case 'close': {
        const state = { evaluation: ev.evaluation() }
        sessions.delete(request.session)
        ev.dispose()
        return { ok: true, value: { state } }
      }
    }
    return {
      ok: true,
      value: { state: { evaluation: ev.evaluation() }, field }
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
    ev.errorField()
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
