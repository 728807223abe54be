// Every action the studio offers, with its keys, for this page's platform. The table itself is
// src/shared/keyboard/commands.ts: toolbar, keyboard, the shortcuts sheet and the desktop menu
// all run the same commands from it.
import { keysOn, type CommandId, type Platform } from '#shared/keyboard/commands.ts'
import { commandForKey as match, keysFor as labels, type KeyContext, type KeyLike } from '#shared/keyboard/keys.ts'

export { SHORTCUT_SHEET } from '#shared/keyboard/commands.ts'
export type { KeyContext, KeyLike } from '#shared/keyboard/keys.ts'
export type Command = CommandId

const PLATFORM: Platform =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? 'mac' : 'other'

/** The command a key press runs, or null (then the browser handles the key as usual). */
export function commandForKey(event: KeyLike, context: KeyContext): Command | null {
  return match(event, context, PLATFORM)
}

/** How a command's keys read in the shortcuts sheet and tooltips, e.g. "Ctrl+Shift+Z". */
export function keysFor(command: Command): string[] {
  return labels(command, PLATFORM)
}

/** A command's first key on this platform, as KeyboardEvent.key lower-cased (for keys that are held). */
export function keyOf(command: Command): string | undefined {
  return keysOn(command, PLATFORM)[0]?.key
}
