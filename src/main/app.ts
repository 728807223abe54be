// The composition root: every main-side service of a running studio is built here, once, and
// nowhere else. The api/ files only validate and delegate; the shells (Electron, the Node host)
// carry the API this returns and call dispose() on their way out. Plain Node, no Electron.
import type { AppInfo, StudioApi } from '#shared/contract/api.ts'
import { appApi } from './api/app.ts'
import { attemptsApi } from './api/attempts.ts'
import { historyApi } from './api/history.ts'
import { referencesApi } from './api/references.ts'
import { settingsApi } from './api/settings.ts'
import { AttemptService } from './attempts/attempt-service.ts'
import { downloadDelivery, folderDelivery } from './attempts/export-files.ts'
import { createAttemptExports, type AttemptExports } from './attempts/exports.ts'
import { inProcessLauncher } from './evaluator/process/in-process-launcher.ts'
import { EvaluatorSupervisor, type EvaluatorLauncher } from './evaluator/process/supervisor.ts'
import { History } from './history/history.ts'
import type { DataDirLock } from './history/lock.ts'
import { createReferenceService, type ReferenceService } from './references/service.ts'
import { Decoder, nodeDecoderLauncher, type DecoderLauncher } from './references/decoder.ts'
import { renderKeptImages } from './render/attempt-files.ts'
import { SettingsService } from './settings/settings-service.ts'
import { StudioPresence } from './presence.ts'

export interface StudioOptions {
  shell: AppInfo['shell']
  /** The folder holding `references/` (bundled drawings). */
  resourcesDir: string
  /** Where the user's library and history live. */
  dataDir: string
  /**
   * Starts the evaluation process: the desktop app passes a utility process, the host a worker
   * thread. Without one (tests), the evaluator runs on the calling thread.
   */
  launchEvaluator?: EvaluatorLauncher
  /**
   * Starts an image decoder process: the desktop app passes an Electron utility process; without
   * one, a Node child process (the host, tests).
   */
  launchDecoder?: DecoderLauncher
  /**
   * The desktop app asks the user for an export folder (starting at the last one); null when
   * they cancel. Without it (the host), exports go back to the browser as downloads.
   */
  chooseExportFolder?: (suggested: string | undefined) => Promise<string | null>
  /** The data folder's lock the shell took (the host); the studio releases it in dispose(). */
  lock?: DataDirLock
  /**
   * Why the history is off for this run (the data folder is read-only: platform/
   * data-folder-access.ts): it is then not opened at all, historyStatus says why, drawing goes on.
   */
  historyOff?: string
}

/** The services behind the API, one of each per studio. */
export interface StudioServices {
  references: ReferenceService
  /** The one history store, shared by the attempt service and the history API. */
  history: History
  /** The evaluation process. */
  evaluator: EvaluatorSupervisor
  attempts: AttemptService
  exports: AttemptExports
  /** The person's choices, kept in settings.json. */
  settings: SettingsService
  /** Which window holds the studio. */
  presence: StudioPresence
}

export interface Studio {
  api: StudioApi
  services: StudioServices
  /**
   * Ends the image decoder and evaluation processes, closes the database (checkpointed into
   * history.sqlite) and releases the lock (if the shell gave one), in that order, each even if an
   * earlier step failed. Safe to call more than once:
   * later calls wait for the first. Calls to the API after it fail with a clear error.
   */
  dispose(): Promise<void>
}

export async function createStudio(options: StudioOptions): Promise<Studio> {
  const settings = await SettingsService.open(options.dataDir)
  const references = await createReferenceService({
    resourcesDir: options.resourcesDir,
    dataDir: options.dataDir,
    frameLongestSide: () => settings.get().frame.longestSide,
    // Only the desktop app may read files by path; the host takes uploaded bytes.
    allowPaths: options.shell === 'electron',
    renamed: (id, name) => history.store().renameReference(id, name),
    // Every image is checked and decoded in decoder processes under a time and memory budget.
    decoder: new Decoder(options.launchDecoder ?? nodeDecoderLauncher())
  })
  const history = new History(options.dataDir, {}, options.historyOff ?? null)
  // The supervisor keeps no copy of the drawings: it opens (and after a crash rebuilds) each
  // session from the attempt's own history. `attempts` is only called once it exists.
  const evaluator = new EvaluatorSupervisor(options.launchEvaluator ?? inProcessLauncher(), {
    sessions: { snapshot: (session) => attempts.evaluatorSnapshot(session) }
  })
  const attempts: AttemptService = new AttemptService({
    frameOf: (id) => references.frameOf(id),
    evaluator,
    history,
    loadInk: (id, frame) => references.loadReferenceInk(id, frame),
    describe: async (id) => {
      const r = await references.summary(id)
      return { id: r.id, name: r.name, source: r.source, width: r.width, height: r.height }
    },
    renderFiles: renderKeptImages
  })
  const exports = createAttemptExports({
    attempts,
    references,
    personName: () => settings.get().name,
    deliver: options.chooseExportFolder ? folderDelivery(options.dataDir, options.chooseExportFolder) : downloadDelivery
  })
  const presence = new StudioPresence()
  const services: StudioServices = { references, history, evaluator, attempts, exports, settings, presence }
  const api: StudioApi = {
    ...appApi({ shell: options.shell, presence }),
    ...referencesApi(services),
    ...attemptsApi(services),
    ...historyApi(services),
    ...settingsApi(services)
  }

  let disposing: Promise<void> | undefined
  const dispose = (): Promise<void> =>
    (disposing ??= (async () => {
      try {
        references.close()
        await evaluator.dispose()
      } finally {
        try {
          history.close()
        } finally {
          options.lock?.release()
        }
      }
    })())
  return { api, services, dispose }
}
