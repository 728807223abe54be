import { z } from 'zod'
import type { AppApi } from '#shared/contract/app.ts'
import { APP_NAME, APP_VERSION } from '../platform/app-meta.ts'
import type { StudioContext } from './context.ts'

export const appSchemas = {
  appInfo: z.undefined()
}

export function appApi(ctx: StudioContext): AppApi {
  return {
    async appInfo() {
      return { name: APP_NAME, version: APP_VERSION, shell: ctx.options.shell, frame: ctx.frame }
    }
  }
}
