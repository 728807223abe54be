// `npm run web -- --trace`: one line per API call and per evaluator request on stderr, with
// wall-clock timestamps (ms since the epoch, sub-millisecond) that line up with a page's
// performance.timeOrigin + performance.now(), so a benchmark can place every hop of a stroke.
import { NO_ID, readReply, readRequest } from '#shared/rpc/messages.ts'
import type { RpcPort } from '#shared/rpc/port.ts'
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
    const port = launch()
    const sent = new Map<number, { type: string; at: number }>()
    return {
      ...port,
      send: (message, transfer) => {
        if (message.type === 'request' && message.id !== NO_ID)
          sent.set(message.id, { type: message.method, at: wallClock() })
        port.send(message, transfer)
      },
      onMessage: (listener) =>
        port.onMessage((message) => {
          const replied = wallClock()
          const reply = readReply(message)
          const request = reply ? sent.get(reply.id) : undefined
          if (reply) sent.delete(reply.id)
          listener(message)
          if (request) report({ hop: 'evaluator', type: request.type, sent: request.at, replied })
        })
    }
  }
}

/**
 * The host's end of a page's socket, with each call reported: `received` (the frame came in,
 * from the socket port's onFrame), decoded, answered (its reply handed to the port) and sent.
 */
export function tracedPort(port: RpcPort, report: (timing: HostTiming) => void, received: () => number): RpcPort {
  const calls = new Map<number, { method: string; received: number; decoded: number }>()
  return {
    ...port,
    onMessage: (listener) =>
      port.onMessage((message) => {
        const decoded = wallClock()
        const request = readRequest(message)
        if (!('problem' in request)) {
          const method = typeof request.method === 'string' ? request.method : '?'
          calls.set(request.id, { method, received: received(), decoded })
        }
        listener(message)
      }),
    send: (message, transfer) => {
      const answered = wallClock()
      port.send(message, transfer)
      const call = message.type === 'reply' ? calls.get(message.id) : undefined
      if (!call) return
      calls.delete(message.id)
      report({ hop: 'call', id: message.id, ...call, answered, sent: wallClock() })
    }
  }
}
