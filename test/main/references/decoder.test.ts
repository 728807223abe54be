// The decoder's bookkeeping with stand-in processes (no real decoding): how many run at once,
// the bounded queue, the time limit (killed), the memory limit (the process ends itself), a
// crash, reuse, retirement of a process that grew, and the idle end.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { DecodeJob } from '#main/references/decode-jobs.ts'
import { MEMORY_EXIT_CODE, type DecodeRequest, type DecoderMessage } from '#main/references/decode-protocol.ts'
import { Decoder, DecodeError, type DecoderChannel, type DecoderLimits } from '#main/references/decoder.ts'

interface FakeProcess {
  requests: DecodeRequest[]
  killed: boolean
  held: boolean
  say(message: DecoderMessage): void
  exit(code: number | null): void
  finish(index?: number, rss?: number): void
}

function fakeLauncher() {
  const processes: FakeProcess[] = []
  const launch = (): DecoderChannel => {
    const listeners: ((m: DecoderMessage) => void)[] = []
    const exits: ((code: number | null) => void)[] = []
    let ended = false
    const p: FakeProcess = {
      requests: [],
      killed: false,
      held: false,
      say: (m) => listeners.forEach((l) => l(m)),
      exit: (code) => {
        if (ended) return
        ended = true
        exits.forEach((l) => l(code))
      },
      finish: (index = p.requests.length - 1, rss = 50e6) =>
        p.say({
          kind: 'done',
          id: p.requests[index].id,
          result: { kind: 'refused', what: `answer ${p.requests[index].id}` },
          before: 50e6,
          peak: rss,
          rss
        })
    }
    processes.push(p)
    return {
      send: (r) => p.requests.push(r),
      onMessage: (l) => listeners.push(l),
      onExit: (l) => exits.push(l),
      kill: () => {
        p.killed = true
        queueMicrotask(() => p.exit(null))
      },
      hold: (busy) => (p.held = busy)
    }
  }
  return { launch, processes }
}

const job = (format: 'png' | 'svg' = 'png'): DecodeJob => ({ kind: 'header', bytes: new Uint8Array(4), format })
const limits = (over: Partial<DecoderLimits> = {}): Partial<DecoderLimits> => ({
  raster: { timeMs: 1000, extraMemoryBytes: 100e6 },
  svg: { timeMs: 300, extraMemoryBytes: 30e6 },
  concurrency: 2,
  queue: 3,
  idleMs: 5000,
  retireAboveBytes: 200e6,
  ...over
})
const ready = (p: FakeProcess): void => p.say({ kind: 'ready', rss: 40e6 })
const flush = () => new Promise((r) => setTimeout(r, 0))

let decoder: Decoder | null = null
afterEach(() => {
  decoder?.close()
  decoder = null
  vi.useRealTimers()
})

describe('the image decoder', () => {
  it('runs at most `concurrency` processes, queues a bounded number of jobs and refuses the rest at once', async () => {
    const { launch, processes } = fakeLauncher()
    decoder = new Decoder(launch, limits())
    const answers = Array.from({ length: 5 }, () => decoder!.run(job()))
    await expect(decoder.run(job())).rejects.toThrow(/5 images are already waiting to be opened/)
    expect(processes).toHaveLength(2)
    processes.forEach(ready)
    expect(processes.map((p) => p.requests.length)).toEqual([1, 1])
    // Each answer frees its process for the next waiting job, in order.
    processes[0].finish()
    await expect(answers[0]).resolves.toEqual({ kind: 'refused', what: 'answer 1' })
    expect(processes[0].requests.map((r) => r.id)).toEqual([1, 3])
    processes[1].finish()
    processes[0].finish()
    processes[1].finish()
    processes[0].finish()
    const all = await Promise.all(answers)
    expect(all.map((a) => (a.kind === 'refused' ? a.what : ''))).toEqual([1, 2, 3, 4, 5].map((i) => `answer ${i}`))
    expect(processes).toHaveLength(2)
    expect(decoder.stats.jobs).toBe(5)
  })

  it('kills a process whose job runs past its time limit, and goes on with a new one', async () => {
    vi.useFakeTimers()
    const { launch, processes } = fakeLauncher()
    decoder = new Decoder(launch, limits({ concurrency: 1 }))
    const slow = decoder.run(job('svg')).catch((e: unknown) => e)
    const next = decoder.run(job('png'))
    ready(processes[0])
    expect(processes[0].requests[0].extraMemoryBytes).toBe(30e6)
    vi.advanceTimersByTime(299)
    expect(processes[0].killed).toBe(false)
    vi.advanceTimersByTime(1)
    expect(processes[0].killed).toBe(true)
    await vi.runAllTimersAsync()
    expect(await slow).toEqual(new DecodeError({ kind: 'timeout', ms: 300 }))
    expect(String(await slow)).toMatch(/decoding it took longer than 0.3 s and was stopped/)
    expect(decoder.stats.killedForTime).toBe(1)
    expect(processes).toHaveLength(2)
    ready(processes[1])
    expect(processes[1].requests[0].extraMemoryBytes).toBe(100e6)
    processes[1].finish()
    await expect(next).resolves.toMatchObject({ kind: 'refused' })
  })

  it('reports a process that ended itself over its memory limit, and one that crashed', async () => {
    const { launch, processes } = fakeLauncher()
    decoder = new Decoder(launch, limits({ concurrency: 1 }))
    const big = decoder.run(job('svg'))
    ready(processes[0])
    processes[0].exit(MEMORY_EXIT_CODE)
    await expect(big).rejects.toThrow('decoding it needed more than 29 MB of memory and was stopped')
    const crash = decoder.run(job())
    await flush()
    ready(processes[1])
    processes[1].exit(139)
    await expect(crash).rejects.toThrow('the decoder stopped while reading it (exit code 139)')
    // A process that dies before it is ready fails the job it was started for.
    const early = decoder.run(job())
    await flush()
    processes[2].exit(1)
    await expect(early).rejects.toThrow(/exit code 1/)
    expect(decoder.stats.endedForMemory).toBe(1)
  })

  it('reuses a process while it stays small, replaces one that grew, ends one left idle', async () => {
    vi.useFakeTimers()
    const { launch, processes } = fakeLauncher()
    decoder = new Decoder(launch, limits({ concurrency: 1 }))
    const a = decoder.run(job())
    ready(processes[0])
    expect(processes[0].held).toBe(true)
    processes[0].finish(0, 120e6)
    await a
    expect(processes[0].held).toBe(false) // idle: never keeps the studio alive
    const b = decoder.run(job())
    expect(processes).toHaveLength(1)
    processes[0].finish(1, 250e6) // grew past retireAboveBytes
    await b
    expect(processes[0].killed).toBe(true)
    expect(decoder.stats.retired).toBe(1)
    await vi.runAllTimersAsync()
    const c = decoder.run(job())
    expect(processes).toHaveLength(2)
    ready(processes[1])
    processes[1].finish()
    await c
    vi.advanceTimersByTime(4999)
    expect(processes[1].killed).toBe(false)
    vi.advanceTimersByTime(1)
    expect(processes[1].killed).toBe(true)
  })

  it('fails waiting and running jobs when closed, and refuses new ones', async () => {
    const { launch, processes } = fakeLauncher()
    decoder = new Decoder(launch, limits({ concurrency: 1 }))
    const running = decoder.run(job()).catch((e: unknown) => e)
    const waiting = decoder.run(job()).catch((e: unknown) => e)
    ready(processes[0])
    decoder.close()
    expect(String(await running)).toMatch(/closed/)
    expect(String(await waiting)).toMatch(/closed/)
    await expect(decoder.run(job())).rejects.toThrow(/closed/)
    expect(processes[0].killed).toBe(true)
  })
})
