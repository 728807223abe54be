import { z } from 'zod'
import type { AppApi, AppInfo } from '#shared/contract/app.ts'
import { APP_NAME, APP_VERSION } from '../platform/app-meta.ts'
import type { StudioPresence } from '../presence.ts'

export const windowId = z.uuid('a window id is a UUID')

export const appSchemas = {
  appInfo: z.undefined(),
  claimStudio: z.strictObject({ windowId, takeOver: z.boolean() }),
  studioHeartbeat: z.strictObject({ windowId }),
  releaseStudio: z.strictObject({ windowId })
}

/** What the studio says about itself (which shell serves it), and which window holds it. */
export function appApi({ shell, presence }: Pick<AppInfo, 'shell'> & { presence: StudioPresence }): AppApi {
  return {
    async appInfo() {
      return { name: APP_NAME, version: APP_VERSION, shell }
    },
    async claimStudio({ windowId, takeOver }) {
      return presence.claim(windowId, takeOver)
    },
    async studioHeartbeat({ windowId }) {
      return presence.heartbeat(windowId)
    },
    async releaseStudio({ windowId }) {
      presence.release(windowId)
    }
  }
}
