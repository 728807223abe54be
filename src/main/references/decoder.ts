// The studio's side of the image decoder processes: every image a user can hand the studio is
// decoded (its header too) in a separate process under a hard budget, because the decoders
// cannot be stopped from inside: sharp's timeout does not stop librsvg, and what they allocate is
// not returned. Each job has a time limit (the process is killed) and a memory limit (the process
// watches its own resident memory and ends itself); at most `concurrency` decode at once, the rest
// wait in a bounded queue, so other requests always get their answers (the studio's own threads
// are never lent to a decoder). A process is reused for the next job while it stays small, ends
// after a while idle, and never keeps the studio alive.
import { fork } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runDecodeJob, type DecodeJob, type DecodeResult } from './decode-jobs.ts'
import { MEMORY_EXIT_CODE, type DecodeRequest, type DecoderMessage } from './decode-protocol.ts'

/** Runs decode jobs: the decoder processes (Decoder), or this process for the studio's own files. */
export interface DecodeRunner {
  run(job: DecodeJob): Promise<DecodeResult>
}

/**
 * Decoding on this process's own threads, with sharp's limits only: for the images shipped with
 * the studio (its bundled references), which no user can change and which must show at once.
 */
export const ownFilesRunner: DecodeRunner = { run: runDecodeJob }

/** One running decoder process, however it was started (Node child process, Electron utility process). */
export interface DecoderChannel {
  send(request: DecodeRequest): void
  onMessage(listener: (message: DecoderMessage) => void): void
  /** Called once when the process ends, with its exit code (null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void
  kill(): void
  /** Whether this process keeps the studio's process alive (only while it has a job). */
  hold(busy: boolean): void
}

export type DecoderLauncher = () => DecoderChannel

/** What one job (a header read, a decode, a thumbnail) may take. */
export interface DecodeBudget {
  /** Longer than this and its process is killed. */
  timeMs: number
  /** Memory it may add to its process (resident set); past it the process ends itself. */
  extraMemoryBytes: number
}

export interface DecoderLimits {
  /** Photos and other raster formats: their cost follows their pixels (at most 40 megapixels). */
  raster: DecodeBudget
  /** SVG: librsvg's cost follows the file, which the SVG limits (svg.ts) bound before decoding. */
  svg: DecodeBudget
  /** Processes decoding at once. */
  concurrency: number
  /** Jobs waiting for a process; more are refused at once. */
  queue: number
  /** An idle process ends after this long. */
  idleMs: number
  /** A process that holds more than this after a job is replaced (its memory is not given back). */
  retireAboveBytes: number
}

const MiB = 1024 * 1024

/**
 * The budgets, from `npm run bench:references` on a busy 2-core machine: the costliest raster
 * reference accepted, a 40 megapixel AVIF of noise, fits in up to 22 s and 730 MB more (a JPEG or
 * PNG of that size in 1-3 s and under 100 MB); an SVG at the element limit reads and fits in under
 * 5 s each and 150 MB. Each budget leaves room for a slower machine; a hostile SVG that passes the
 * limits of svg.ts is stopped within 10 s.
 */
export const DEFAULT_DECODER_LIMITS: DecoderLimits = {
  raster: { timeMs: 30_000, extraMemoryBytes: 1024 * MiB },
  svg: { timeMs: 10_000, extraMemoryBytes: 512 * MiB },
  concurrency: 2,
  queue: 16,
  idleMs: 20_000,
  retireAboveBytes: 400 * MiB
}

/** Why a job did not give a result, in words for the user's "what is wrong". */
export type DecodeFailure =
  | { kind: 'timeout'; ms: number }
  | { kind: 'memory'; bytes: number }
  | { kind: 'crashed'; code: number | null }
  | { kind: 'busy'; waiting: number }

export class DecodeError extends Error {
  readonly failure: DecodeFailure
  constructor(failure: DecodeFailure) {
    super(describeFailure(failure))
    this.name = 'DecodeError'
    this.failure = failure
  }
}

export function describeFailure(f: DecodeFailure): string {
  switch (f.kind) {
    case 'timeout':
      return `decoding it took longer than ${f.ms / 1000} s and was stopped`
    case 'memory':
      return `decoding it needed more than ${Math.round(f.bytes / (1024 * 1024))} MB of memory and was stopped`
    case 'crashed':
      return `the decoder stopped while reading it (exit code ${f.code ?? 'none'})`
    case 'busy':
      return `${f.waiting} images are already waiting to be opened; try again in a moment`
  }
}

interface Waiting {
  job: DecodeJob
  resolve(result: DecodeResult): void
  reject(error: Error): void
}

interface Worker {
  channel: DecoderChannel
  ready: boolean
  /** The job it runs, with its timer. */
  running: { id: number; waiting: Waiting; timer: NodeJS.Timeout } | null
  idleTimer: NodeJS.Timeout | null
  /** Resident memory after its last job. */
  rss: number
  ended: boolean
  /** Why it was stopped on purpose (so the exit is reported as that). */
  stopped: DecodeFailure | null
}

/** Counts for tests and benchmarks. */
export interface DecoderStats {
  started: number
  killedForTime: number
  endedForMemory: number
  retired: number
  jobs: number
  /** The most memory a finished job added to its process (resident set, sampled). */
  peakExtraBytes: number
}

export class Decoder implements DecodeRunner {
  readonly limits: DecoderLimits
  readonly stats: DecoderStats = {
    started: 0,
    killedForTime: 0,
    endedForMemory: 0,
    retired: 0,
    jobs: 0,
    peakExtraBytes: 0
  }
  readonly #launch: DecoderLauncher
  readonly #workers = new Set<Worker>()
  readonly #queue: Waiting[] = []
  #nextId = 1
  #closed = false

  constructor(launch: DecoderLauncher, limits: Partial<DecoderLimits> = {}) {
    this.#launch = launch
    this.limits = { ...DEFAULT_DECODER_LIMITS, ...limits }
  }

  /** Run a job in a decoder process; rejects with DecodeError when the budget stops it. */
  run(job: DecodeJob): Promise<DecodeResult> {
    if (this.#closed) return Promise.reject(new Error('the image decoder is closed'))
    const running = [...this.#workers].filter((w) => w.running).length
    if (running + this.#queue.length >= this.limits.concurrency + this.limits.queue)
      return Promise.reject(new DecodeError({ kind: 'busy', waiting: this.#queue.length }))
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject })
      this.#dispatch()
    })
  }

  /** Processes running now (tests). */
  get processes(): number {
    return this.#workers.size
  }

  /** End every decoder process; waiting and running jobs fail. */
  close(): void {
    this.#closed = true
    for (const waiting of this.#queue.splice(0)) waiting.reject(new Error('the image decoder was closed'))
    for (const w of this.#workers) {
      if (w.running) {
        clearTimeout(w.running.timer)
        w.running.waiting.reject(new Error('the image decoder was closed'))
        w.running = null
      }
      this.#end(w)
    }
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let worker = [...this.#workers].find((w) => w.ready && !w.running && !w.ended)
      if (!worker) {
        const starting = [...this.#workers].filter((w) => !w.ready && !w.ended).length
        const running = [...this.#workers].filter((w) => w.running).length
        // Start a process if the limit allows and none is already starting for this job.
        if (running + starting < this.limits.concurrency && starting < this.#queue.length) this.#start()
        return
      }
      this.#give(worker, this.#queue.shift() as Waiting)
      worker = undefined
    }
  }

  #start(): void {
    let channel: DecoderChannel
    try {
      channel = this.#launch()
    } catch (err) {
      const waiting = this.#queue.shift()
      waiting?.reject(err instanceof Error ? err : new Error(String(err)))
      return
    }
    this.stats.started++
    const worker: Worker = {
      channel,
      ready: false,
      running: null,
      idleTimer: null,
      rss: 0,
      ended: false,
      stopped: null
    }
    this.#workers.add(worker)
    channel.hold(true)
    channel.onMessage((message) => this.#message(worker, message))
    channel.onExit((code) => this.#exited(worker, code))
  }

  #message(worker: Worker, message: DecoderMessage): void {
    if (message.kind === 'ready') {
      worker.ready = true
      worker.rss = message.rss
      this.#idle(worker)
      this.#dispatch()
      return
    }
    const running = worker.running
    if (!running || running.id !== message.id) return
    clearTimeout(running.timer)
    worker.running = null
    worker.rss = message.rss
    this.stats.jobs++
    this.stats.peakExtraBytes = Math.max(this.stats.peakExtraBytes, message.peak - message.before)
    running.waiting.resolve(message.result)
    if (message.rss > this.limits.retireAboveBytes) {
      this.stats.retired++
      this.#end(worker)
    } else this.#idle(worker)
    this.#dispatch()
  }

  #budget(job: DecodeJob): DecodeBudget {
    return job.format === 'svg' ? this.limits.svg : this.limits.raster
  }

  #give(worker: Worker, waiting: Waiting): void {
    if (worker.idleTimer) clearTimeout(worker.idleTimer)
    worker.idleTimer = null
    const id = this.#nextId++
    const budget = this.#budget(waiting.job)
    const timer = setTimeout(() => {
      this.stats.killedForTime++
      worker.stopped = { kind: 'timeout', ms: budget.timeMs }
      this.#end(worker)
    }, budget.timeMs)
    worker.running = { id, waiting, timer }
    worker.channel.hold(true)
    worker.channel.send({ id, job: waiting.job, extraMemoryBytes: budget.extraMemoryBytes })
  }

  /** Idle: let the studio exit regardless, and end after idleMs. */
  #idle(worker: Worker): void {
    worker.channel.hold(false)
    if (worker.idleTimer) clearTimeout(worker.idleTimer)
    worker.idleTimer = setTimeout(() => this.#end(worker), this.limits.idleMs)
    worker.idleTimer.unref()
  }

  #end(worker: Worker): void {
    if (worker.idleTimer) clearTimeout(worker.idleTimer)
    worker.idleTimer = null
    if (worker.ended) return
    worker.ended = true
    worker.channel.kill()
  }

  #exited(worker: Worker, code: number | null): void {
    worker.ended = true
    if (worker.idleTimer) clearTimeout(worker.idleTimer)
    this.#workers.delete(worker)
    const running = worker.running
    worker.running = null
    if (running) {
      clearTimeout(running.timer)
      let failure: DecodeFailure = worker.stopped ?? { kind: 'crashed', code }
      if (code === MEMORY_EXIT_CODE) {
        this.stats.endedForMemory++
        failure = { kind: 'memory', bytes: this.#budget(running.waiting.job).extraMemoryBytes }
      }
      running.waiting.reject(new DecodeError(failure))
    } else if (!worker.ready && !worker.stopped && !this.#closed) {
      // It died before it could take a job: the job it was started for fails rather than wait forever.
      const waiting = this.#queue.shift()
      waiting?.reject(new DecodeError({ kind: 'crashed', code }))
    }
    if (!this.#closed) this.#dispatch()
  }
}

/** The decoder process's entry next to this module: the TypeScript source, or the bundle's .js. */
function defaultEntry(): string {
  const here = fileURLToPath(import.meta.url)
  return join(dirname(here), here.endsWith('.ts') ? 'decode-process.ts' : 'decode-process.js')
}

/**
 * Decoder processes under plain Node (the host, the command line, tests): a child process of
 * this very Node running `entry` (Node 24 runs the TypeScript source as is).
 */
export function nodeDecoderLauncher(entry: string = defaultEntry()): DecoderLauncher {
  return (): DecoderChannel => {
    const child = fork(entry, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    const exitListeners: ((code: number | null) => void)[] = []
    let exited = false
    child.once('exit', (code) => {
      exited = true
      for (const l of exitListeners) l(code)
    })
    // A failure to start (a missing entry, no resources) ends in 'exit' too; never an unhandled error.
    child.on('error', () => {
      if (!exited && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    return {
      send: (request) => {
        child.send(request, (err) => {
          if (err && !exited) child.kill('SIGKILL')
        })
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as DecoderMessage)),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill('SIGKILL')
      },
      hold: (busy) => {
        if (busy) {
          child.ref()
          child.channel?.ref()
        } else {
          child.unref()
          child.channel?.unref()
        }
      }
    }
  }
}

let shared: Decoder | null = null
let sharedEntry: string | undefined

/**
 * Where the decoder process's entry is, for a bundled program whose own layout differs (the built
 * command line calls this with out/main/decode-process.js before decoding anything).
 */
export function useDecodeProcessEntry(entry: string): void {
  sharedEntry = entry
}

/** One decoder for the whole program, for callers not handed one (the command line, benchmarks). */
export function sharedDecoder(): Decoder {
  shared ??= new Decoder(nodeDecoderLauncher(sharedEntry))
  return shared
}
