// The image decoder process: runs one decode job at a time (decode-jobs.ts) for the studio, which
// kills it when a job takes too long. sharp decodes on libuv's threads, so this thread stays free
// to watch the process's own memory: a job that grows it past its limit ends the process at once
// (exit code MEMORY_EXIT_CODE), whatever librsvg or libvips is doing. One file serves both hosts:
// an Electron utility process (messages through process.parentPort) and a Node child process
// (process.send, with 'advanced' serialization for the bytes).
import sharp from 'sharp'
import { runDecodeJob } from './decode-jobs.ts'
import { MEMORY_EXIT_CODE, type DecodeRequest, type DecoderMessage } from './decode-protocol.ts'

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: DecodeRequest }) => void): void
  postMessage(message: DecoderMessage): void
}

interface Port {
  onRequest(handler: (request: DecodeRequest) => void): void
  send(message: DecoderMessage): void
}

function port(): Port {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort
  if (electronPort) {
    return {
      onRequest: (handler) => electronPort.on('message', (event) => handler(event.data)),
      send: (message) => electronPort.postMessage(message)
    }
  }
  if (process.send) {
    return {
      onRequest: (handler) => process.on('message', (m) => handler(m as DecodeRequest)),
      send: (message) => process.send?.(message)
    }
  }
  throw new Error('the decoder must be started as a child process with an IPC channel or an Electron utility process')
}

/** How often the process looks at its own memory while a job runs. */
const WATCH_MS = 10

// Nothing cached between jobs: a process serves several files, and what it holds counts
// against the next job's memory limit.
sharp.cache(false)

const io = port()
let busy = false
const queue: DecodeRequest[] = []

function next(): void {
  if (busy) return
  const request = queue.shift()
  if (!request) return
  busy = true
  const before = process.memoryUsage.rss()
  const limit = before + request.extraMemoryBytes
  let peak = before
  const watch = setInterval(() => {
    const rss = process.memoryUsage.rss()
    if (rss > peak) peak = rss
    if (rss > limit) process.exit(MEMORY_EXIT_CODE)
  }, WATCH_MS)
  void runDecodeJob(request.job).then((result) => {
    clearInterval(watch)
    const rss = process.memoryUsage.rss()
    io.send({ kind: 'done', id: request.id, result, rss, peak: Math.max(peak, rss), before })
    busy = false
    next()
  })
}

io.onRequest((request) => {
  queue.push(request)
  next()
})
io.send({ kind: 'ready', rss: process.memoryUsage.rss() })
// When the studio goes away, so does this process (its IPC channel closes).
process.on('disconnect', () => process.exit(0))
