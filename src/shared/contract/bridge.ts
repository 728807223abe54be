import type { ApiArg, ApiMethod, ApiResult } from './api.ts'
import type { Envelope } from './errors.ts'
import { MENU_COMMANDS, type MenuCommand } from '../keyboard/commands.ts'

/** Commands the desktop app's menu sends to the studio page: those with a menu place in the table. */
export { MENU_COMMANDS, type MenuCommand } from '../keyboard/commands.ts'

/** The one IPC channel menu commands travel on (main -> page). */
export const MENU_CHANNEL = 'sightline:menu-command'

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value)
}

/**
 * What the preload exposes as `window.sightline`: one named function per API method, each
 * answering with an Envelope (errors thrown across contextBridge lose their code), and
 * onMenuCommand, which calls back with each validated menu command and returns an unsubscribe.
 */
export type SightlineBridge = {
  [M in ApiMethod]: (arg: ApiArg<M>) => Promise<Envelope<ApiResult<M>>>
} & {
  onMenuCommand(callback: (command: MenuCommand) => void): () => void
  /**
   * Where a File the user chose or dropped lives on disk (Electron's webUtils.getPathForFile),
   * so the main side imports it by path; '' when it has none. `file` is a DOM File (this
   * module has no DOM types).
   */
  pathForFile(file: object): string
}
