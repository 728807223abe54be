// The evaluator on the calling thread, behind the same channel interface: for the command line
// (one short-lived session) and for tests that need no process boundary.
import type { EvaluatorReply, EvaluatorRequest } from './protocol.ts'
import { handleRequest } from './evaluation-service.ts'
import type { StreamingEvaluator } from '../core/streaming-evaluator.ts'
import type { EvaluatorChannel, EvaluatorLauncher } from './supervisor.ts'

export function inProcessLauncher(): EvaluatorLauncher {
  return (): EvaluatorChannel => {
    const sessions = new Map<string, StreamingEvaluator>()
    const replyListeners: ((reply: EvaluatorReply) => void)[] = []
    let alive = true
    return {
      send: (request: EvaluatorRequest) => {
        queueMicrotask(() => {
          if (!alive) return
          const reply = handleRequest(sessions, request)
          for (const l of replyListeners) l(reply)
        })
      },
      onReply: (listener) => replyListeners.push(listener),
      onExit: () => {},
      terminate: async () => {
        alive = false
      }
    }
  }
}
