// The evaluation process under plain Node (the host, the CLI, tests): a worker thread running
// process-entry.ts directly (Node 24 runs the TypeScript as is), seen through its port.
import { Worker } from 'node:worker_threads'
import type { EvaluatorLauncher, EvaluatorChannel } from './supervisor.ts'

export function workerLauncher(entry: URL = new URL('./process-entry.ts', import.meta.url)): EvaluatorLauncher {
  return (): EvaluatorChannel => {
    const worker = new Worker(entry)
    const closeListeners: ((reason: string) => void)[] = []
    let ended = false
    const end = (reason: string): void => {
      if (ended) return
      ended = true
      for (const l of closeListeners.splice(0)) l(reason)
    }
    worker.on('error', (err) => end(`error: ${err.message}`))
    worker.on('exit', (code) => end(`exit code ${code}`))
    return {
      send: (message, transfer) => worker.postMessage(message, transfer),
      onMessage: (listener) => {
        worker.on('message', listener)
        // Attaching a listener refs the worker; an idle evaluation process must not keep the
        // app (or a script) alive on its own...
        worker.unref()
      },
      // ...but one with unanswered requests must.
      hold: (busy) => (busy ? worker.ref() : worker.unref()),
      onClose: (listener) => void closeListeners.push(listener),
      close: async () => {
        await worker.terminate()
      }
    }
  }
}
