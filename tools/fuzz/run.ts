// Sends the fuzz cases (cases.ts) to a running Node host and sorts what comes back:
//   answered: a 2xx / 101, or an API reply carrying a value;
//   refused:  a 4xx / 5xx, a connection closed without an answer, or an API reply carrying an error;
//   hung:     nothing within the time limit (no answer, no close);
//   crashed:  the host stopped answering its own page (or its process ended).
// Raw HTTP cases go on fresh TCP connections; frames and calls on authenticated WebSockets, one
// at a time per socket (so each reply is known to be the answer to what was just sent).
import { connect } from 'node:net'
import WebSocket from 'ws'
import { encodeFrame, decodeFrame } from '#shared/rpc/frame.ts'
import { fuzzCases, type FuzzCase } from './cases.ts'

export interface FuzzTarget {
  port: number
  token: string
  /** Whether the host's process still runs (an in-process host: always). */
  alive(): boolean
}

export interface FuzzOptions {
  seed: number
  count: number
  /** Raw HTTP connections at once. */
  httpLanes?: number
  /** WebSockets at once (6; the host takes 8 at most, and one more is the health check). */
  socketLanes?: number
  /** How long an answer may take before the case counts as hung. */
  answerMs?: number
  /** A health check (the page and appInfo) every this many cases. */
  checkEvery?: number
  onProgress?(report: FuzzReport): void
}

export interface FuzzReport {
  tried: number
  answered: number
  refused: number
  hung: number
  crashed: number
  /** How each refusal came back: an API error code, an HTTP status, or how the connection ended. */
  codes: Record<string, number>
  /** The first case refused with each code (to see what a code stands for). */
  examples: Record<string, string>
  /** Cases that hung or answered 'internal', and replies under the wrong id: each a bug. */
  problems: string[]
  /** The slowest cases: what they were and how long their answer took. */
  slowest: { label: string; ms: number }[]
}

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    tried: 0,
    answered: 0,
    refused: 0,
    hung: 0,
    crashed: 0,
    codes: {},
    examples: {},
    problems: [],
    slowest: []
  }
  const answerMs = options.answerMs ?? 20_000
  const checkEvery = options.checkEvery ?? 500
  const lanes = new SocketLanes(target, options.socketLanes ?? 6, answerMs)
  // An attempt kept open for the calls to draw in (started again when a case finishes or breaks it).
  let attemptId = '00000000-0000-4000-8000-000000000000'
  const cases = fuzzCases(options.seed, { port: target.port, token: target.token, attemptId: () => attemptId })
  const refreshAttempt = async (): Promise<void> => {
    const reply = await lanes.call('startAttempt', { referenceId: 'bundled:cube' })
    if (reply.ok && typeof reply.value === 'object' && reply.value !== null)
      attemptId = String((reply.value as { attemptId: unknown }).attemptId)
  }
  await refreshAttempt()

  const note = (outcome: Outcome, c: FuzzCase, ms: number): void => {
    report.tried++
    if (report.slowest.length < 5 || ms > report.slowest[4].ms) {
      report.slowest.push({ label: c.label, ms: Math.round(ms) })
      report.slowest.sort((a, b) => b.ms - a.ms).splice(5)
    }
    if (outcome.kind === 'answered') report.answered++
    else if (outcome.kind === 'refused') {
      report.refused++
      if (outcome.code) {
        report.codes[outcome.code] = (report.codes[outcome.code] ?? 0) + 1
        report.examples[outcome.code] ??= `${c.label}${outcome.detail ? `: ${outcome.detail.slice(0, 200)}` : ''}`
      }
      if (outcome.code === 'internal') report.problems.push(`internal error: ${c.label}: ${outcome.detail ?? ''}`)
    } else {
      report.hung++
      report.problems.push(`hung: ${c.label}`)
    }
    if (outcome.problem) report.problems.push(`${outcome.problem}: ${c.label}`)
  }

  const httpLanes = options.httpLanes ?? 8
  let sent = 0
  while (sent < options.count) {
    const batch: FuzzCase[] = []
    while (batch.length < checkEvery && sent + batch.length < options.count) batch.push(cases.next().value as FuzzCase)
    sent += batch.length
    const http = batch.filter((c) => c.kind === 'http')
    const ws = batch.filter((c) => c.kind !== 'http')
    await Promise.all([
      inLanes(http, httpLanes, async (c) => {
        const t0 = performance.now()
        note(await sendRaw(target.port, c, answerMs), c, performance.now() - t0)
      }),
      inLanes(ws, lanes.size, async (c, lane) => {
        const t0 = performance.now()
        note(await lanes.send(lane, c), c, performance.now() - t0)
        if (c.kind === 'call' && (c.method === 'finishAttempt' || c.method === 'startAttempt')) await refreshAttempt()
      })
    ])
    const health = await healthy(target, lanes)
    if (health !== null) {
      report.crashed++
      report.problems.push(`the host stopped answering after case ${sent}: ${health}`)
      break
    }
    options.onProgress?.(report)
  }
  await lanes.close()
  return report
}

type Outcome = {
  kind: 'answered' | 'refused' | 'hung'
  code?: string
  detail?: string
  /** Something that is wrong whatever the case was (a reply under the wrong id). */
  problem?: string
}

async function inLanes<T>(items: T[], lanes: number, work: (item: T, lane: number) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async (_, lane) => {
      while (next < items.length) await work(items[next++], lane)
    })
  )
}

/** Null when the host still serves its page and answers appInfo; else what failed. */
async function healthy(target: FuzzTarget, lanes: SocketLanes): Promise<string | null> {
  if (!target.alive()) return 'its process ended'
  const page = await sendRaw(
    target.port,
    {
      kind: 'http',
      label: 'health',
      bytes: new TextEncoder().encode(
        `GET /?token=${target.token} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nConnection: close\r\n\r\n`
      ),
      then: 'wait'
    },
    10_000
  )
  if (page.kind !== 'answered') return `the page: ${page.kind} ${page.code ?? ''}`
  const info = await lanes.call('appInfo', undefined).catch((err: Error) => err)
  if (info instanceof Error) return `appInfo: ${info.message}`
  return info.ok ? null : `appInfo: ${info.code} ${info.message}`
}

/** Raw bytes on a fresh connection: the status line that comes back, or the close, or nothing. */
function sendRaw(port: number, c: Extract<FuzzCase, { kind: 'http' }>, answerMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let head = ''
    let done = false
    const finish = (outcome: Outcome): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(c.bytes)
      if (c.then === 'half-close') socket.end()
    })
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1')
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head)
      if (m) finish({ kind: Number(m[1]) < 400 ? 'answered' : 'refused', code: `http ${m[1]}` })
      else if (head.length > 64) finish({ kind: 'refused', code: 'not http' })
    })
    socket.on('error', () => finish({ kind: 'refused', code: 'reset' }))
    socket.on('close', () => finish({ kind: 'refused', code: 'closed' }))
    const timer = setTimeout(() => finish({ kind: 'hung' }), answerMs)
  })
}

interface Reply {
  ok: boolean
  value?: unknown
  code?: string
  message?: string
}

/** WebSockets with the token, one case at a time on each; a socket the host closed is opened again. */
class SocketLanes {
  readonly size: number
  private readonly target: FuzzTarget
  private readonly answerMs: number
  private readonly sockets: (Promise<WebSocket> | null)[]
  private health: Promise<WebSocket> | null = null
  private nextId = 1

  constructor(target: FuzzTarget, size: number, answerMs: number) {
    this.target = target
    this.answerMs = answerMs
    this.size = size
    this.sockets = Array.from({ length: size }, () => null)
  }

  private open(): Promise<WebSocket> {
    const origin = `http://127.0.0.1:${this.target.port}`
    const ws = new WebSocket(`ws://127.0.0.1:${this.target.port}/api?token=${this.target.token}`, {
      headers: { Origin: origin },
      perMessageDeflate: false
    })
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
      ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    })
  }

  private socket(lane: number): Promise<WebSocket> {
    const current = this.sockets[lane]
    if (current) return current
    const opening = this.open()
    this.sockets[lane] = opening
    opening.then(
      (ws) => ws.once('close', () => this.sockets[lane] === opening && (this.sockets[lane] = null)),
      () => (this.sockets[lane] = null)
    )
    return opening
  }

  /** One case on a lane's socket: what came back. */
  async send(lane: number, c: FuzzCase): Promise<Outcome> {
    let ws: WebSocket
    try {
      ws = await this.socket(lane)
    } catch (err) {
      return { kind: 'refused', code: 'no socket', problem: `could not open a socket (${(err as Error).message})` }
    }
    let bytes: Uint8Array
    let expectId: number | null = null
    if (c.kind === 'call') {
      const id = this.takeId()
      try {
        bytes = encodeFrame({ type: 'request', id, method: c.method, arg: c.arg })
      } catch {
        bytes = encodeFrame({ type: 'request', id, method: c.method, arg: null }) // not encodable: send null
      }
      expectId = id
    } else if (c.kind === 'frame') {
      bytes = c.bytes
      expectId = !c.text && bytes.length >= 5 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(1, true) : 0
    } else throw new Error('raw HTTP cases are not sent on a socket')
    const reply = this.next(ws)
    ws.send(bytes, { binary: c.kind === 'call' || !c.text })
    const got = await reply
    if (got === 'closed') return { kind: 'refused', code: 'socket closed' }
    if (got === 'timeout') {
      ws.terminate()
      return { kind: 'hung' }
    }
    const problem = got.id !== expectId ? `reply under id ${got.id}, not ${expectId}` : undefined
    if (got.reply.ok) return { kind: 'answered', problem }
    return { kind: 'refused', code: got.reply.code, detail: got.reply.message, problem }
  }

  private healthQueue: Promise<unknown> = Promise.resolve()

  /** A call on the health socket (kept apart from the lanes), one at a time. */
  call(method: string, arg: unknown): Promise<Reply> {
    const run = this.healthQueue.then(() => this.healthCall(method, arg))
    this.healthQueue = run.catch(() => undefined)
    return run
  }

  private async healthCall(method: string, arg: unknown): Promise<Reply> {
    this.health ??= this.open()
    let ws: WebSocket
    try {
      ws = await this.health
    } catch {
      this.health = null
      throw new Error('the health socket could not be opened')
    }
    if (ws.readyState !== ws.OPEN) {
      this.health = null
      return this.healthCall(method, arg)
    }
    const reply = this.next(ws)
    ws.send(encodeFrame({ type: 'request', id: this.takeId(), method, arg }))
    const got = await reply
    if (got === 'closed' || got === 'timeout') {
      this.health = null
      ws.terminate()
      throw new Error(`${method}: ${got}`)
    }
    return got.reply
  }

  private takeId(): number {
    this.nextId = (this.nextId % 0xffff_fff0) + 1
    return this.nextId
  }

  private next(ws: WebSocket): Promise<{ id: number; reply: Reply } | 'closed' | 'timeout'> {
    return new Promise((resolve) => {
      const done = (v: { id: number; reply: Reply } | 'closed' | 'timeout'): void => {
        clearTimeout(timer)
        ws.off('message', onMessage)
        ws.off('close', onClose)
        resolve(v)
      }
      const onMessage = (data: Buffer): void => {
        const m = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
        if (m.type !== 'reply') return done({ id: m.id, reply: { ok: false, code: 'unreadable reply' } })
        done({
          id: m.id,
          reply: m.ok ? { ok: true, value: m.value } : { ok: false, code: m.error.code, message: m.error.message }
        })
      }
      const onClose = (): void => done('closed')
      const timer = setTimeout(() => done('timeout'), this.answerMs)
      ws.on('message', onMessage)
      ws.on('close', onClose)
      if (ws.readyState !== ws.OPEN) done('closed')
    })
  }

  async close(): Promise<void> {
    const all = [...this.sockets, this.health]
    await Promise.all(all.map(async (s) => (await s?.catch(() => null))?.terminate()))
  }
}
