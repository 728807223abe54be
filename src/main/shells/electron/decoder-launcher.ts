// The image decoder process in the desktop app: an Electron utility process running the bundled
// out/main/decode-process.js (built from src/main/references/decode-process.ts).
import { utilityProcess } from 'electron'
import type { DecoderMessage } from '#main/references/decode-protocol.ts'
import type { DecoderChannel, DecoderLauncher } from '#main/references/decoder.ts'

export function utilityDecoderLauncher(entryPath: string): DecoderLauncher {
  return (): DecoderChannel => {
    const child = utilityProcess.fork(entryPath, [], { serviceName: 'Sightline image decoder', stdio: 'inherit' })
    const exitListeners: ((code: number | null) => void)[] = []
    let exited = false
    child.once('exit', (code) => {
      exited = true
      for (const l of exitListeners) l(code)
    })
    return {
      send: (request) => child.postMessage(request),
      onMessage: (listener) => child.on('message', (message: DecoderMessage) => listener(message)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill()
      },
      // A utility process never keeps the app running: it ends with the app.
      hold: () => undefined
    }
  }
}
