// `npm run fuzz [-- --count N --seed S]`: the Node host as `npm run web` runs it (its own process,
// a fresh data folder), under N hostile payloads (tools/fuzz/cases.ts, 20,000 by default), then
// its resource limits: a thousand idle connections without the token, and four 100 MB uploads at
// once. Prints tried / answered / refused / crashed / hung, what the refusals were, the slowest
// cases and the host's memory (RSS) before, after and at its peak. Exits 1 on any crash, hang,
// internal error or error the host only survived (its last-resort handler's mark in its output).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { encodeFrame, decodeFrame } from '#shared/rpc/frame.ts'
import { startHostProcess, type HostProcess } from '#tools/host-process.ts'
import { runFuzz, type FuzzReport } from './run.ts'

const { values } = parseArgs({
  options: { count: { type: 'string' }, seed: { type: 'string' }, 'no-resources': { type: 'boolean' } },
  strict: true
})
const count = Number(values.count ?? 20_000)
const seed = Number(values.seed ?? 14)
if (!Number.isInteger(count) || count < 1) throw new Error(`--count must be a whole number, not ${values.count}`)

const MiB = 1024 * 1024
const mb = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / MiB).toFixed(0)} MB`)

/** The process's resident memory now and at its peak (Linux /proc), or null where there is none. */
function memory(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024
    return { rss: kb('VmRSS'), peak: kb('VmHWM') }
  } catch {
    return null
  }
}

/** Start counting the peak again from now (Linux; as the process's owner). */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

const alive = (host: HostProcess): boolean => host.proc.exitCode === null && host.proc.signalCode === null

function printReport(report: FuzzReport, ms: number): void {
  console.log(
    `  tried ${report.tried}, answered ${report.answered}, refused ${report.refused}, crashed ${report.crashed}, hung ${report.hung}` +
      ` (${(ms / 1000).toFixed(0)} s, ${(report.tried / (ms / 1000)).toFixed(0)} a second)`
  )
  console.log('  refused as:')
  for (const [code, n] of Object.entries(report.codes).sort((a, b) => b[1] - a[1]))
    console.log(`    ${String(n).padStart(6)}  ${code.padEnd(16)} e.g. ${report.examples[code]?.slice(0, 110)}`)
  console.log('  slowest:')
  for (const s of report.slowest) console.log(`    ${String(s.ms).padStart(6)} ms  ${s.label}`)
  if (report.problems.length) {
    console.log(`  problems (${report.problems.length}):`)
    for (const p of report.problems.slice(0, 20)) console.log(`    ${p}`)
  }
}

/** Sockets without the token, left open: how many the host has closed after its idle limit. */
async function idleConnections(port: number, n: number, waitMs: number): Promise<number> {
  const sockets = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((resolve) => {
          const s = connect(port, '127.0.0.1', () => resolve(s))
          s.on('error', () => resolve(s))
        })
    )
  )
  await new Promise((r) => setTimeout(r, waitMs))
  const closed = sockets.filter((s) => s.destroyed || s.readyState === 'closed' || s.readableEnded).length
  for (const s of sockets) s.destroy()
  return closed
}

/** `n` uploads of `bytes` each, at once, each on its own socket: how each was answered. */
async function uploads(host: HostProcess, n: number, bytes: number): Promise<string[]> {
  const port = new URL(host.origin).port
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${host.token}`, {
        headers: { Origin: host.origin },
        perMessageDeflate: false,
        maxPayload: 0
      })
      await new Promise((resolve, reject) => {
        ws.once('open', resolve)
        ws.once('error', reject)
      })
      const answer = new Promise<string>((resolve) => {
        ws.once('message', (data: Buffer) => {
          const m = decodeFrame(new Uint8Array(data))
          resolve(m.type === 'reply' ? (m.ok ? 'answered' : m.error.code) : 'unreadable')
        })
        ws.once('close', (code) => resolve(`closed ${code}`))
      })
      const big = new Uint8Array(bytes)
      big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) // looks like a PNG, is not one
      ws.send(
        encodeFrame({
          type: 'request',
          id: i + 1,
          method: 'importReference',
          arg: { fileName: `big-${i}.png`, bytes: big }
        })
      )
      const got = await answer
      ws.terminate()
      return got
    })
  )
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-fuzz-'))
  const host = await startHostProcess(dataDir)
  const pid = host.proc.pid!
  let failed = false
  try {
    const port = Number(new URL(host.origin).port)
    console.log(`npm run fuzz: ${count} hostile payloads (seed ${seed}) at the Node host (pid ${pid}, ${host.origin})`)
    const before = memory(pid)
    const peakFromHere = resetPeak(pid)
    const t0 = performance.now()
    const report = await runFuzz(
      { port, token: host.token, alive: () => alive(host) },
      {
        seed,
        count,
        checkEvery: 1000,
        onProgress: (r) =>
          process.stdout.write(
            `  ${r.tried} tried, ${r.refused} refused, ${r.hung} hung, ${r.crashed} crashed, RSS ${mb(memory(pid)?.rss ?? null)}` +
              (process.stdout.isTTY ? '\r' : '\n')
          )
      }
    )
    if (process.stdout.isTTY) process.stdout.write('\n')
    const after = memory(pid)
    printReport(report, performance.now() - t0)
    console.log(
      `  host RSS: ${mb(before?.rss ?? null)} before, ${mb(after?.rss ?? null)} after, peak ${mb(after?.peak ?? null)}` +
        (peakFromHere ? ' (during the run)' : ' (since the host started)')
    )
    failed ||= report.crashed > 0 || report.hung > 0 || report.problems.length > 0

    if (!values['no-resources'] && alive(host)) {
      console.log('resources:')
      const idle = 1000
      const closed = await idleConnections(port, idle, 5_000 + 2_500)
      console.log(`  ${idle} idle connections without the token: ${closed} closed by the host within 7.5 s`)
      failed ||= closed < idle
      const beforeUploads = memory(pid)
      resetPeak(pid)
      const answers = await uploads(host, 4, 100 * 1000 * 1000)
      const afterUploads = memory(pid)
      console.log(
        `  4 uploads of 100 MB at once: ${answers.join(', ')}; host RSS ${mb(beforeUploads?.rss ?? null)} before, ` +
          `peak ${mb(afterUploads?.peak ?? null)}, ${mb(afterUploads?.rss ?? null)} after`
      )
      failed ||= answers.some((a) => a.startsWith('closed') || a === 'unreadable')
    }
    const uncaught = host.survived()
    console.log(`host process: ${alive(host) ? 'running' : 'ended'}; errors it only survived: ${uncaught.length}`)
    for (const line of uncaught.slice(0, 5)) console.log(`  ${line}`)
    failed ||= !alive(host) || uncaught.length > 0
  } finally {
    await host.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  console.log(failed ? 'FAILED' : 'ok: 0 crashed, 0 hung')
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`npm run fuzz: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)
    process.exit(1)
  }
)
