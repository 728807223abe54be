import type { IpcMain, IpcMainEvent } from 'electron'
import type { StudioApi } from '#shared/contract/api.ts'
import { RPC_CHANNEL } from '#shared/contract/bridge.ts'
import { answer, type RpcHandler } from '#shared/rpc/server.ts'
import type { RpcReply } from '#shared/rpc/messages.ts'
import { dispatch } from '#main/api/dispatch.ts'

/** Is this the main frame of our own renderer page? Anything else is refused. */
export type SenderCheck = (event: IpcMainEvent) => boolean

/**
 * The studio's requests on the one RPC channel (src/shared/rpc). Each message from the studio's
 * own top frame is validated in dispatch() and answered with one reply carrying a typed error
 * code on failure; a message from anywhere else is refused ('forbidden') without reaching a
 * service. Nothing a page sends can throw out of the listener.
 */
export function registerIpc(ipcMain: IpcMain, api: StudioApi, isTrustedSender: SenderCheck): () => void {
  const serveApi: RpcHandler = (method, arg) => dispatch(api, method, arg)
  const refuse: RpcHandler = (method) => ({
    ok: false,
    error: {
      code: 'forbidden',
      message: `${typeof method === 'string' ? `${method.slice(0, 80)}: ` : ''}refused a call from a page that is not the studio`
    }
  })
  const listener = (event: IpcMainEvent, message: unknown): void => {
    let trusted = false
    try {
      trusted = isTrustedSender(event)
    } catch {
      // A frame that went away while we looked is not trusted.
    }
    void answer(message, trusted ? serveApi : refuse).then((reply) => sendReply(event, reply))
  }
  ipcMain.on(RPC_CHANNEL, listener)
  return () => {
    ipcMain.removeListener(RPC_CHANNEL, listener)
  }
}

/**
 * To the frame that asked; a reply IPC cannot carry becomes an error reply; a page that closed
 * meanwhile gets nothing (and nothing throws).
 */
function sendReply(event: IpcMainEvent, reply: RpcReply): void {
  try {
    if (event.sender.isDestroyed()) return
    try {
      event.reply(RPC_CHANNEL, reply)
    } catch (err) {
      const message = `the reply could not be sent: ${err instanceof Error ? err.message : String(err)}`
      event.reply(RPC_CHANNEL, { type: 'reply', id: reply.id, ok: false, error: { code: 'internal', message } })
    }
  } catch (err) {
    console.warn('[sightline] could not answer the studio page:', err instanceof Error ? err.message : err)
  }
}

/** Accept only the top frame whose URL is the studio's own page (file or dev-server URL). */
export function studioSenderCheck(isStudioUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    return frame !== null && frame.parent === null && isStudioUrl(frame.url)
  }
}
