// The evaluation process under plain Node (the host, the CLI, tests): a worker thread running
// process-entry.ts directly (Node 24 runs the TypeScript as is).
import { Worker } from 'node:worker_threads'
import type { EvaluatorReply } from './protocol.ts'
import type { EvaluatorChannel, EvaluatorLauncher } from './supervisor.ts'

export function workerLauncher(entry: URL = new URL('./process-entry.ts', import.meta.url)): EvaluatorLauncher {
  return (): EvaluatorChannel => {
    const worker = new Worker(entry)
    const exitListeners: ((reason: string) => void)[] = []
    let ended = false
    const end = (reason: string): void => {
      if (ended) return
      ended = true
      for (const l of exitListeners) l(reason)
    }
    worker.on('error', (err) => end(`error: ${err.message}`))
    worker.on('exit', (code) => end(`exit code ${code}`))
    return {
      send: (request) => worker.postMessage(request),
      onReply: (listener) => {
        worker.on('message', (reply: EvaluatorReply) => listener(reply))
        // Attaching a listener refs the worker; an idle evaluation process must not keep the
        // app (or a script) alive on its own.
        worker.unref()
      },
      // ...but one with unanswered requests must.
      hold: (busy) => (busy ? worker.ref() : worker.unref()),
      onExit: (listener) => exitListeners.push(listener),
      terminate: async () => {
        await worker.terminate()
      }
    }
  }
}
