import sharp from 'sharp'
import type { AppInfo, FrameSize, ReferenceImage, ReferenceSummary, StudioApi } from '../shared/api.ts'
import { StudioError } from '../shared/errors.ts'
import { loadBundledReferences, type BundledReference } from './references/bundled.ts'
import { fitToFrame, rgbToPng } from './references/fit.ts'
import { APP_NAME, APP_VERSION } from './app-meta.ts'

export interface StudioOptions {
  shell: AppInfo['shell']
  /** The folder holding `references/` (bundled drawings). */
  resourcesDir: string
  /** Where the user's library and history live. */
  dataDir: string
  frame?: FrameSize
}

export const DEFAULT_FRAME: FrameSize = { width: 500, height: 500 }

/** The main-side services behind the StudioApi, in plain Node (no Electron). */
export async function createStudioApi(options: StudioOptions): Promise<StudioApi> {
  const frame = options.frame ?? DEFAULT_FRAME
  const bundled = await loadBundledReferences(options.resourcesDir)

  function findReference(id: string): BundledReference {
    const ref = bundled.find((r) => r.id === id)
    if (!ref) throw new StudioError('not-found', `no reference with id "${id}"`)
    return ref
  }

  return {
    async appInfo(): Promise<AppInfo> {
      return { name: APP_NAME, version: APP_VERSION, shell: options.shell, frame }
    },
    async listReferences(): Promise<ReferenceSummary[]> {
      return bundled.map(({ path: _path, ...summary }) => summary)
    },
    async getReferenceImage({ id }): Promise<ReferenceImage> {
      const ref = findReference(id)
      const rgb = await fitToFrame(sharp(ref.path), frame)
      return { id, width: frame.width, height: frame.height, png: await rgbToPng(rgb, frame) }
    }
  }
}
