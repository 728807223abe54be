// `replay`: run a pixel session log through the streaming evaluator, timing only the evaluator.
import { readFile } from 'node:fs/promises'
import type { Evaluation } from '#shared/contract/scores.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { parseSessionLog, referenceMask } from '#main/evaluator/pixel-log.ts'
import { StreamingEvaluator } from '#main/evaluator/core/streaming-evaluator.ts'
import { warmUp } from '#main/evaluator/process/evaluation-service.ts'
import { CliError } from './errors.ts'

export interface ReplaySummary {
  events: number
  initMs: number
  firstUs: number | null
  medianUs: number | null
  p99Us: number | null
  maxUs: number | null
  totalMs: number
}

export async function replaySession(
  path: string,
  onEvent: (index: number, op: string, evaluation: Evaluation) => void
): Promise<{ summary: ReplaySummary; final: Evaluation }> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`)
  })
  let log
  try {
    log = parseSessionLog(text, path)
  } catch (err) {
    if (err instanceof StudioError) throw new CliError(err.message)
    throw err
  }
  // As the app's evaluation process does at start, so the times are the steady ones.
  warmUp()
  const t0 = performance.now()
  let ev: StreamingEvaluator
  try {
    ev = new StreamingEvaluator(referenceMask(log), log.width, log.height)
  } catch (err) {
    if (err instanceof StudioError) throw new CliError(`${path}: ${err.message}`)
    throw err
  }
  const initMs = performance.now() - t0
  const times: number[] = []
  let final = ev.evaluation()
  log.events.forEach((event, i) => {
    const a = performance.now()
    if (event.op === 'add') ev.add(event.pixels)
    else if (event.op === 'erase') ev.erase(event.pixels)
    else if (event.op === 'undo') ev.undo()
    else ev.redo()
    final = ev.evaluation()
    times.push((performance.now() - a) * 1000)
    onEvent(i, event.op, final)
  })
  const sorted = [...times].sort((a, b) => a - b)
  const q = (f: number): number | null =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * f))] : null
  return {
    final,
    summary: {
      events: times.length,
      initMs,
      firstUs: times.length ? times[0] : null,
      medianUs: q(0.5),
      p99Us: q(0.99),
      maxUs: sorted.length ? sorted[sorted.length - 1] : null,
      totalMs: times.reduce((a, t) => a + t, 0) / 1000
    }
  }
}
