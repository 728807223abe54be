// The evaluation process. One file serves both hosts: an Electron utilityProcess (messages
// through process.parentPort) and a Node worker thread (worker_threads.parentPort). Either way
// it is a port of the request/reply layer, served by evaluation-service.ts.
import { parentPort as workerPort } from 'node:worker_threads'
import type { RpcPort } from '#shared/rpc/port.ts'
import { serveEvaluator, warmUp } from './evaluation-service.ts'

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

function parentEnd(): RpcPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  // The parent ending ends this process too: neither end has a close of its own to report.
  const noClose = { onClose: () => {}, close: async () => {} }
  if (electronPort) {
    return {
      // Electron's parentPort moves only MessagePorts: the buffers are copied.
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)),
      ...noClose
    }
  }
  if (workerPort) {
    const wp = workerPort
    return {
      send: (message, transfer) => wp.postMessage(message, transfer),
      onMessage: (listener) => void wp.on('message', listener),
      ...noClose
    }
  }
  throw new Error('the evaluation process must be started as a worker thread or an Electron utility process')
}

serveEvaluator(parentEnd())
warmUp()
