// The composition root: every main-side service of a running studio is built here, once, and
// nowhere else. The api/ files only validate and delegate; the shells (Electron, the Node host)
// carry the API this returns and call dispose() on their way out. Plain Node, no Electron.
import { API_METHODS, type AppInfo, type StudioApi } from '#shared/contract/api.ts'
import { PROFILES_METHODS, type ProfilesApi } from '#shared/contract/training.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { ProfileDirectory } from './profiles/profiles.ts'
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
import { trainingApi } from './api/training.ts'
import { DRILL_FRAME, withDrills } from './training/drill-references.ts'
import { TrainingService } from './training/training-service.ts'
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
  /** Sessions, drills, practice and assignment packs. */
  training: TrainingService
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

/** The API of one profile's services (the profile calls are the studio's own). */
type ProfileApi = Omit<StudioApi, keyof ProfilesApi>

interface ProfileStudio {
  api: ProfileApi
  services: StudioServices
  dispose(): Promise<void>
}

/**
 * The studio: the active profile's services (profiles/profiles.ts), and the profile calls, which
 * close them and open another profile's in their place. Every other call goes to the services
 * open at the time it is made.
 */
export async function createStudio(options: StudioOptions): Promise<Studio> {
  const profiles = await ProfileDirectory.open(options.dataDir)
  // Which window holds the studio: one for the studio, whichever profile is open.
  const presence = new StudioPresence()
  let current = await openProfile(options, profiles.dirOf(profiles.active.profileId), presence)
  let switching: Promise<unknown> = Promise.resolve()
  const forward = Object.fromEntries(
    API_METHODS.filter((m) => !(PROFILES_METHODS as readonly string[]).includes(m)).map((m) => [
      m,
      (arg: never) => (current.api[m as keyof ProfileApi] as (a: never) => Promise<unknown>)(arg)
    ])
  ) as unknown as ProfileApi
  const profileCalls: ProfilesApi = {
    listProfiles: async () => profiles.list(),
    async createProfile({ name }) {
      const profile = await profiles.create(name)
      // Its settings start with its name (what its exports and reports call it).
      const settings = await SettingsService.open(profiles.dirOf(profile.profileId))
      await settings.update({ name: profile.name }).catch(() => undefined)
      return profile
    },
    renameProfile: ({ profileId, name }) => profiles.rename(profileId, name),
    switchProfile({ profileId }) {
      const done = switching.then(async () => {
        if (profileId === profiles.active.profileId) return profiles.list()
        const dir = profiles.dirOf(profileId)
        if (!profiles.list().profiles.some((p) => p.profileId === profileId))
          throw new StudioError('not-found', `no profile with id "${profileId.slice(0, 80)}"`)
        await current.dispose()
        try {
          current = await openProfile(options, dir, presence)
          await profiles.activate(profileId)
        } catch (err) {
          // Back to the profile that was open: the studio is never left without one.
          current = await openProfile(options, profiles.dirOf(profiles.active.profileId), presence)
          throw err
        }
        return profiles.list()
      })
      switching = done.catch(() => undefined)
      return done
    }
  }
  let disposing: Promise<void> | undefined
  return {
    api: { ...forward, ...profileCalls },
    get services() {
      return current.services
    },
    dispose: () =>
      (disposing ??= (async () => {
        try {
          await switching
          await current.dispose()
        } finally {
          options.lock?.release()
        }
      })())
  }
}

/** Every main-side service of one profile, on its data folder. */
async function openProfile(options: StudioOptions, dataDir: string, presence: StudioPresence): Promise<ProfileStudio> {
  options = { ...options, dataDir }
  const settings = await SettingsService.open(options.dataDir)
  // Drills (generated references, in a frame of their own) answered beside the bundled drawings
  // and the library.
  const references = withDrills(
    await createReferenceService({
      resourcesDir: options.resourcesDir,
      dataDir: options.dataDir,
      frameLongestSide: () => settings.get().frame.longestSide,
      // Only the desktop app may read files by path; the host takes uploaded bytes.
      allowPaths: options.shell === 'electron',
      renamed: (id, name) => history.store().renameReference(id, name),
      // Every image is checked and decoded in decoder processes under a time and memory budget.
      decoder: new Decoder(options.launchDecoder ?? nodeDecoderLauncher())
    }),
    DRILL_FRAME
  )
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
  const deliver = options.chooseExportFolder
    ? folderDelivery(options.dataDir, options.chooseExportFolder)
    : downloadDelivery
  const exports = createAttemptExports({ attempts, references, deliver, personName: () => settings.get().name })
  const training = new TrainingService({
    history,
    references,
    attempts,
    settings,
    frame: DRILL_FRAME,
    deliver,
    allowPaths: options.shell === 'electron'
  })
  const services: StudioServices = { references, history, evaluator, attempts, exports, settings, training, presence }
  const api: ProfileApi = {
    ...appApi({ shell: options.shell, presence }),
    ...referencesApi(services),
    ...attemptsApi(services),
    ...historyApi(services),
    ...settingsApi(services),
    ...trainingApi(services)
  }

  let disposing: Promise<void> | undefined
  const dispose = (): Promise<void> =>
    (disposing ??= (async () => {
      try {
        references.close()
        await evaluator.dispose()
      } finally {
        history.close()
      }
    })())
  return { api, services, dispose }
}
