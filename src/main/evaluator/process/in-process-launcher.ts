// The evaluator on the calling thread, behind the same port as a process: for the command line
// (one short-lived session) and for tests that need no process boundary. Requests are answered
// in a later microtask, as a message port would deliver them.
import { memoryPortPair } from '#shared/rpc/memory-port.ts'
import { serveEvaluator } from './evaluation-service.ts'
import type { EvaluatorLauncher } from './supervisor.ts'

export function inProcessLauncher(): EvaluatorLauncher {
  return () => {
    const [main, evaluator] = memoryPortPair()
    serveEvaluator(evaluator)
    return main
  }
}
