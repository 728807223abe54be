// Key presses to commands, and keys to the words people read, from the command table. The page
// runs every command whose keys the desktop menu does not own; the menu owns exactly the keys
// menuOwnsKey says, so a key press never runs a command twice or not at all.
import { COMMANDS, keysOn, type CommandId, type KeySpec, type Platform } from './commands.ts'

/** The parts of a KeyboardEvent a shortcut depends on. */
export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

export interface KeyContext {
  /** The desktop menu is present and handles the accelerators it registers. */
  menuOwnsAccelerators: boolean
  /** The drawing surface has the keyboard focus. */
  canvasFocused: boolean
}

/**
 * Whether the desktop menu registers this key of this command: the one key it shows (the
 * platform's first), when it has a modifier. Single keys and Tab stay with the page: Tab must
 * keep moving focus between controls, and single letters must not fire while a menu or a text
 * field has the keys.
 */
export function menuOwnsKey(command: CommandId, key: KeySpec, platform: Platform): boolean {
  const spec = COMMANDS.find((c) => c.id === command)
  return spec !== undefined && 'menu' in spec && keysOn(command, platform)[0] === key && key.mod === true
}

/** The command a key press runs on the page, or null (then the browser handles the key as usual). */
export function commandForKey(event: KeyLike, context: KeyContext, platform: Platform): CommandId | null {
  if (event.altKey) return null
  const mod = event.ctrlKey || event.metaKey
  const key = event.key.toLowerCase()
  for (const c of COMMANDS) {
    for (const k of keysOn(c.id, platform)) {
      if (k.key !== key || Boolean(k.mod) !== mod) continue
      // '?' is typed with Shift on most layouts; for the others Shift must match exactly.
      if (k.key !== '?' && Boolean(k.shift) !== event.shiftKey) continue
      if (context.menuOwnsAccelerators && menuOwnsKey(c.id, k, platform)) return null
      if (k.canvasOnly && !context.canvasFocused) return null
      return c.id
    }
  }
  return null
}

const NAMES: Record<string, string> = { tab: 'Tab', escape: 'Esc', backspace: 'Backspace' }
const MAC_NAMES: Record<string, string> = { ...NAMES, backspace: '⌫' }

/** How a key reads in the sheet and tooltips: "Ctrl+Shift+Z" elsewhere, "⌘⇧Z" on macOS. */
export function keyLabel(k: KeySpec, platform: Platform): string {
  const mac = platform === 'mac'
  const parts: string[] = []
  if (k.mod) parts.push(mac ? '⌘' : 'Ctrl')
  if (k.shift) parts.push(mac ? '⇧' : 'Shift')
  parts.push((mac ? MAC_NAMES : NAMES)[k.key] ?? k.key.toUpperCase())
  return parts.join(mac ? '' : '+')
}

/** Every key of a command on a platform, as it reads. */
export function keysFor(command: CommandId, platform: Platform): string[] {
  return keysOn(command, platform).map((k) => keyLabel(k, platform))
}

/** Electron's accelerator for a key: "CmdOrCtrl+Shift+Z", "Tab", "?". */
export function accelerator(k: KeySpec): string {
  const parts: string[] = []
  if (k.mod) parts.push('CmdOrCtrl')
  if (k.shift) parts.push('Shift')
  parts.push(NAMES[k.key] ?? k.key.toUpperCase())
  return parts.join('+')
}
