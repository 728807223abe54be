import type { AppInfo, FrameSize } from '#shared/contract/api.ts'
import type { EvaluatorLauncher } from '../evaluator/process/supervisor.ts'
import type { DecoderLauncher } from '../references/decoder.ts'

export interface StudioOptions {
  shell: AppInfo['shell']
  /** The folder holding `references/` (bundled drawings). */
  resourcesDir: string
  /** Where the user's library and history live. */
  dataDir: string
  frame?: FrameSize
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
}

/** What every area's services are built from. */
export interface StudioContext {
  options: StudioOptions
  frame: FrameSize
}

export const DEFAULT_FRAME: FrameSize = { width: 500, height: 500 }
