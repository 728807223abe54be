// The evaluation process in the desktop app: an Electron utility process running the bundled
// out/main/evaluator-process.js (built from process-entry.ts), seen through its port.
import { utilityProcess } from 'electron'
import type { EvaluatorLauncher, EvaluatorChannel } from '#main/evaluator/process/supervisor.ts'

export function utilityLauncher(entryPath: string): EvaluatorLauncher {
  return (): EvaluatorChannel => {
    const child = utilityProcess.fork(entryPath, [], { serviceName: 'Sightline evaluator', stdio: 'inherit' })
    const closeListeners: ((reason: string) => void)[] = []
    const exited = new Promise<void>((resolve) => {
      child.once('exit', (code) => {
        for (const l of closeListeners.splice(0)) l(`exit code ${code}`)
        resolve()
      })
    })
    return {
      // A utility process moves only MessagePorts: buffers are copied (structured clone).
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', (message: unknown) => listener(message)),
      onClose: (listener) => void closeListeners.push(listener),
      close: async () => {
        if (child.kill()) await exited
      }
    }
  }
}
