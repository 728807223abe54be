// The evaluation process in the desktop app: an Electron utility process running the bundled
// out/main/evaluator-process.js (built from process-entry.ts).
import { utilityProcess } from 'electron'
import type { EvaluatorReply } from '#main/evaluator/process/protocol.ts'
import type { EvaluatorChannel, EvaluatorLauncher } from '#main/evaluator/process/supervisor.ts'

export function utilityLauncher(entryPath: string): EvaluatorLauncher {
  return (): EvaluatorChannel => {
    const child = utilityProcess.fork(entryPath, [], { serviceName: 'Sightline evaluator', stdio: 'inherit' })
    const exitListeners: ((reason: string) => void)[] = []
    child.once('exit', (code) => {
      for (const l of exitListeners) l(`exit code ${code}`)
    })
    return {
      send: (request) => child.postMessage(request),
      onReply: (listener) => child.on('message', (reply: EvaluatorReply) => listener(reply)),
      onExit: (listener) => exitListeners.push(listener),
      terminate: async () => {
        child.kill()
      }
    }
  }
}
