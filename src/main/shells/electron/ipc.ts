import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { API_METHODS, type StudioApi } from '#shared/contract/api.ts'
import type { Envelope } from '#shared/contract/errors.ts'
import { dispatch } from '#main/api/dispatch.ts'

export const channelOf = (method: string): string => `sightline:${method}`

/** Is this the main frame of our own renderer page? Anything else is refused. */
export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/**
 * One ipcMain.handle per API method. Each checks the sender, then validates the payload in
 * dispatch(); the renderer always gets an Envelope, never a thrown error.
 */
export function registerIpc(ipcMain: IpcMain, api: StudioApi, isTrustedSender: SenderCheck): () => void {
  for (const method of API_METHODS) {
    ipcMain.handle(channelOf(method), async (event, payload: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: `${method}: refused a call from a page that is not the studio` }
        }
      }
      return dispatch(api, method, payload)
    })
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(channelOf(method))
  }
}

/** Accept only the top frame whose URL is the studio's own page (file or dev-server URL). */
export function studioSenderCheck(isStudioUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    return frame !== null && frame.parent === null && isStudioUrl(frame.url)
  }
}
