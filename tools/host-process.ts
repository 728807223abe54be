// The studio as a user runs it: `npm run web` in a child process, and headless Debian Chromium.
// Used by the end-to-end tests (through test/e2e/harness.ts) and the UI benches in scripts/.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { UNCAUGHT_MARK } from '#main/shells/host/last-resort.ts'

export const ROOT = join(import.meta.dirname, '..')
const RESULTS = join(ROOT, 'test-results')

export interface HostProcess {
  url: string
  origin: string
  token: string
  proc: ChildProcess
  output(): string
  /** Lines where the host logged an error it only survived (its last resort): each one a bug. */
  survived(): string[]
  /** SIGTERM by default; SIGKILL to simulate a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** `npm run web` as a user runs it (minus the build, which `npm test` did first). */
export async function startHostProcess(dataDir: string, extraArgs: string[] = []): Promise<HostProcess> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html')))
    throw new Error('the renderer is not built: run `npm run build` (npm test does)')
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'src/main/shells/host/main.ts'), '--data-dir', dataDir, ...extraArgs],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let out = ''
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}`)), 30_000)
    const check = (): void => {
      const m = /is at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    proc.stdout.on('data', check)
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`host exited with ${code}:\n${out}`))
    })
  })
  const parsed = new URL(url)
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    proc,
    output: () => out,
    survived: () => out.split('\n').filter((line) => line.includes(UNCAUGHT_MARK)),
    stop: (signal = 'SIGTERM') =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill(signal)
      })
  }
}

const CHROMIUM = process.env.SIGHTLINE_CHROMIUM ?? '/usr/bin/chromium'

/** Headless Debian Chromium as the tests and benches drive it; `extraArgs` after the defaults. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      ...extraArgs
    ]
  })
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true })
  return join(RESULTS, `${name}.png`)
}
