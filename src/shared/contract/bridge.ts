import type { RpcMessage } from '../rpc/messages.ts'
import { MENU_COMMANDS, type MenuCommand } from '../keyboard/commands.ts'

/** Commands the desktop app's menu sends to the studio page: those with a menu place in the table. */
export { MENU_COMMANDS, type MenuCommand } from '../keyboard/commands.ts'

/** The one IPC channel menu commands travel on (main -> page). */
export const MENU_CHANNEL = 'sightline:menu-command'

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value)
}

/**
 * The one IPC channel the request/reply layer's messages travel on (page -> main: requests,
 * main -> page: replies, each with its typed error code; src/shared/rpc).
 */
export const RPC_CHANNEL = 'sightline:rpc'

/** The page's end of RPC_CHANNEL, as the preload hands it over (messages are structured clones). */
export interface BridgePort {
  send(message: RpcMessage): void
  /** Calls back with every message main sends on the channel; returns an unsubscribe. */
  onMessage(listener: (message: unknown) => void): () => void
}

/**
 * What the preload exposes as `window.sightline`: the request/reply port to main (the page's
 * transport runs the StudioApi over it), and onMenuCommand, which calls back with each validated
 * menu command and returns an unsubscribe.
 */
export interface SightlineBridge {
  rpc: BridgePort
  onMenuCommand(callback: (command: MenuCommand) => void): () => void
  /**
   * Where a File the user chose or dropped lives on disk (Electron's webUtils.getPathForFile),
   * so the main side imports it by path; '' when it has none. `file` is a DOM File (this
   * module has no DOM types).
   */
  pathForFile(file: object): string
}
