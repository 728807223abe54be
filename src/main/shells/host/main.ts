// `npm run web`: the studio served to a browser on 127.0.0.1, backed by the same main-side
// services as the desktop app. Runs as TypeScript directly on Node 24.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createStudio } from '#main/app.ts'
import { defaultDataDir, defaultRendererDir, defaultResourcesDir } from '#main/platform/paths.ts'
import { acquireDataDirLock, type DataDirLock } from '#main/history/lock.ts'
import { dataFolderProblem } from '#main/platform/data-folder-access.ts'
import { parseHostArgs } from './args.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'
import { newToken } from '#main/platform/security.ts'
import { startHost } from './server.ts'
import { printTiming, timedLauncher } from './trace.ts'
import { keepServingOnUncaught } from './last-resort.ts'

async function main(): Promise<void> {
  keepServingOnUncaught()
  let args
  try {
    args = parseHostArgs(process.argv.slice(2))
  } catch (err) {
    console.error(`sightline web: ${(err as Error).message}`)
    process.exit(2)
  }
  const rendererDir = defaultRendererDir()
  if (!existsSync(join(rendererDir, 'index.html'))) {
    console.error(
      `sightline web: the studio is not built (${rendererDir} has no index.html); run "npm run build" first`
    )
    process.exit(2)
  }
  const dataDir = resolve(args.dataDir ?? defaultDataDir())
  // A data folder that cannot be written starts the studio all the same, with the history off
  // (nothing can be written, so no lock is needed either).
  const historyOff = dataFolderProblem(dataDir)
  let lock: DataDirLock | undefined
  if (historyOff) console.warn(`sightline web: ${historyOff}`)
  else {
    // One host per data folder: a second one would interleave writes to the same history.
    const taken = acquireDataDirLock(dataDir, { takeOver: args.takeOverLock })
    lock = taken
    // A backstop for an exit that skips dispose() (an uncaught error); releasing twice is harmless.
    process.on('exit', () => taken.release())
  }
  const trace = args.trace ? printTiming : undefined
  const launchEvaluator = trace ? timedLauncher(workerLauncher(), trace) : workerLauncher()
  const studio = await createStudio({
    shell: 'host',
    resourcesDir: defaultResourcesDir(),
    dataDir,
    launchEvaluator,
    lock,
    historyOff: historyOff ?? undefined
  })
  const host = await startHost({ api: studio.api, rendererDir, token: newToken(), port: args.port, trace }).catch(
    async (err: unknown) => {
      // E.g. the port is taken: close what was opened before saying why.
      await studio.dispose().catch(() => undefined)
      throw err
    }
  )
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    // No call can arrive once the server is closed; then the evaluator, the database and the lock.
    void host
      .close()
      .then(() => studio.dispose())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`sightline web: shutting down: ${err instanceof Error ? err.message : String(err)}`)
          process.exit(1)
        }
      )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  // Only now say where we are: a SIGTERM before the handlers exist would kill the host outright,
  // leaving its data-folder lock behind (taken over later as stale, but untidy).
  console.log(`Sightline Studio is at ${host.url}`)
  console.log(`data folder: ${dataDir}`)
}

main().catch((err: unknown) => {
  console.error(`sightline web: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
