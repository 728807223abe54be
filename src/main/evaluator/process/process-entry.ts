// The evaluation process. One file serves both hosts: an Electron utilityProcess (messages
// through process.parentPort) and a Node worker thread (worker_threads.parentPort).
import { parentPort as workerPort } from 'node:worker_threads'
import type { EvaluatorReply, EvaluatorRequest, ReplyPort } from './protocol.ts'
import { serveEvaluator, warmUp } from './evaluation-service.ts'

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: EvaluatorRequest }) => void): void
  postMessage(message: EvaluatorReply): void
}

function port(): ReplyPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (electronPort) {
    return {
      onRequest: (handler) => electronPort.on('message', (event) => handler(event.data)),
      reply: (message) => electronPort.postMessage(message)
    }
  }
  if (workerPort) {
    const wp = workerPort
    return {
      onRequest: (handler) => wp.on('message', handler),
      reply: (message) => wp.postMessage(message)
    }
  }
  throw new Error('the evaluation process must be started as a worker thread or an Electron utility process')
}

serveEvaluator(port())
warmUp()
