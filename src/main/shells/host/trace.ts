// `npm run web -- --trace`: one line per API call and per evaluator request on stderr, with
// wall-clock timestamps (ms since the epoch, sub-millisecond) that line up with a page's
// performance.timeOrigin + performance.now(), so a benchmark can place every hop of a stroke.
import type { EvaluatorLauncher } from '#main/evaluator/process/supervisor.ts'

export type HostTiming =
  /** An API call: its message in, decoded, answered by the service, reply written to the socket. */
  | { hop: 'call'; id: number; method: string; received: number; decoded: number; answered: number; sent: number }
  /** A request to the evaluation process and its reply. */
  | { hop: 'evaluator'; type: string; sent: number; replied: number }

export const wallClock = (): number => performance.timeOrigin + performance.now()

export const TRACE_PREFIX = '[trace] '

export function printTiming(timing: HostTiming): void {
  process.stderr.write(TRACE_PREFIX + JSON.stringify(timing) + '\n')
}

/** The same evaluation process, with each request's round trip reported. */
export function timedLauncher(launch: EvaluatorLauncher, report: (timing: HostTiming) => void): EvaluatorLauncher {
  return () => {
    const channel = launch()
    const sent = new Map<number, { type: string; at: number }>()
    return {
      ...channel,
      send: (request) => {
        sent.set(request.id, { type: request.type, at: wallClock() })
        channel.send(request)
      },
      onReply: (listener) =>
        channel.onReply((reply) => {
          const replied = wallClock()
          const request = sent.get(reply.id)
          sent.delete(reply.id)
          listener(reply)
          if (request) report({ hop: 'evaluator', type: request.type, sent: request.at, replied })
        })
    }
  }
}
