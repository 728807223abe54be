import { z } from 'zod'
import type { AppApi, AppInfo } from '#shared/contract/app.ts'
import { APP_NAME, APP_VERSION } from '../platform/app-meta.ts'

export const appSchemas = {
  appInfo: z.undefined()
}

/** What the studio says about itself: which shell serves it. */
export function appApi({ shell }: Pick<AppInfo, 'shell'>): AppApi {
  return {
    async appInfo() {
      return { name: APP_NAME, version: APP_VERSION, shell }
    }
  }
}
