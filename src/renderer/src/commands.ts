// Every action the studio offers, with its keys. Toolbar, keyboard, the shortcuts sheet and the
// desktop menu all run the same commands.
import type { MenuCommand } from '#shared/contract/bridge.ts'

export type Command = MenuCommand | 'tool-pen' | 'tool-eraser' | 'size-down' | 'size-up' | 'close'

export interface KeyLike {
  key: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

interface Binding {
  command: Command
  /** Ctrl (Cmd on macOS) held. */
  mod: boolean
  shift?: boolean
  /** e.key, lower-cased for letters. */
  key: string
  /** Shown in the desktop menu, which then owns the keys (the page leaves them alone). */
  menu?: boolean
  /** Only while the drawing has the focus (Tab must keep moving focus everywhere else). */
  canvasOnly?: boolean
}

const BINDINGS: Binding[] = [
  { command: 'undo', mod: true, key: 'z', menu: true },
  { command: 'redo', mod: true, shift: true, key: 'z', menu: true },
  { command: 'redo', mod: true, key: 'y' },
  { command: 'clear', mod: true, key: 'backspace', menu: true },
  { command: 'new-attempt', mod: true, key: 'n', menu: true },
  { command: 'open-reference', mod: true, key: 'o', menu: true },
  { command: 'evaluate', mod: false, key: 'tab', canvasOnly: true },
  { command: 'show-shortcuts', mod: false, key: '?' },
  { command: 'tool-pen', mod: false, key: 'p' },
  { command: 'tool-eraser', mod: false, key: 'e' },
  { command: 'size-down', mod: false, key: '[' },
  { command: 'size-up', mod: false, key: ']' },
  { command: 'toggle-grid', mod: false, key: 'g' },
  { command: 'toggle-flip', mod: false, key: 'f' },
  { command: 'toggle-blind', mod: false, key: 'b' },
  { command: 'show-history', mod: false, key: 'h' },
  { command: 'close', mod: false, key: 'escape' }
]

export interface KeyContext {
  /** The desktop menu is present and handles its own accelerators. */
  menuOwnsAccelerators: boolean
  /** The drawing surface has the keyboard focus. */
  canvasFocused: boolean
}

/** The command a key press runs, or null (then the browser handles the key as usual). */
export function commandForKey(event: KeyLike, context: KeyContext): Command | null {
  if (event.altKey) return null
  const mod = event.ctrlKey || event.metaKey
  const key = event.key.toLowerCase()
  for (const b of BINDINGS) {
    if (b.key !== key || b.mod !== mod) continue
    // '?' is typed with Shift on most layouts; for the others Shift must match exactly.
    if (b.key !== '?' && Boolean(b.shift) !== event.shiftKey) continue
    if (b.menu && context.menuOwnsAccelerators) return null
    if (b.canvasOnly && !context.canvasFocused) return null
    return b.command
  }
  return null
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

/** How a command's keys read in the shortcuts sheet and tooltips, e.g. "Ctrl+Shift+Z". */
export function keysFor(command: Command): string[] {
  return BINDINGS.filter((b) => b.command === command).map((b) => {
    const parts: string[] = []
    if (b.mod) parts.push(IS_MAC ? '⌘' : 'Ctrl')
    if (b.shift) parts.push('Shift')
    parts.push(KEY_NAMES[b.key] ?? b.key.toUpperCase())
    return parts.join(IS_MAC ? '' : '+')
  })
}

const KEY_NAMES: Record<string, string> = {
  tab: 'Tab',
  escape: 'Esc',
  backspace: 'Backspace',
  '?': '?',
  '[': '[',
  ']': ']'
}

/** The shortcuts sheet, in reading order. */
export const SHORTCUT_SHEET: { title: string; items: { command: Command; label: string }[] }[] = [
  {
    title: 'Drawing',
    items: [
      { command: 'tool-pen', label: 'Pen' },
      { command: 'tool-eraser', label: 'Eraser (or the pen’s eraser end)' },
      { command: 'size-down', label: 'Smaller tool' },
      { command: 'size-up', label: 'Larger tool' },
      { command: 'undo', label: 'Undo' },
      { command: 'redo', label: 'Redo' },
      { command: 'clear', label: 'Clear the drawing (undoable)' }
    ]
  },
  {
    title: 'Seeing',
    items: [
      { command: 'toggle-grid', label: 'Grid (10 × 10, the evaluator’s)' },
      { command: 'toggle-flip', label: 'Flip both horizontally' },
      { command: 'toggle-blind', label: 'Blind: hide the live score' },
      { command: 'evaluate', label: 'Evaluate (with the drawing focused)' }
    ]
  },
  {
    title: 'Attempt',
    items: [
      { command: 'new-attempt', label: 'New attempt' },
      { command: 'open-reference', label: 'Open a reference' },
      { command: 'show-history', label: 'History: past attempts, progress, replay' },
      { command: 'show-shortcuts', label: 'This sheet' },
      { command: 'close', label: 'Close a panel or dialog' }
    ]
  }
]
