import type { AppInfo, FrameSize } from '../../shared/api.ts'

export interface StudioOptions {
  shell: AppInfo['shell']
  /** The folder holding `references/` (bundled drawings). */
  resourcesDir: string
  /** Where the user's library and history live. */
  dataDir: string
  frame?: FrameSize
}

/** What every area's services are built from. */
export interface StudioContext {
  options: StudioOptions
  frame: FrameSize
}

export const DEFAULT_FRAME: FrameSize = { width: 500, height: 500 }
