// Every command the studio offers, in one table: its id, how the shortcuts sheet names it, its
// keys on each platform and where it sits in the desktop menu. The page's key handling, the
// shortcuts sheet, the toolbar's hints, the Electron menu and the commands the menu may send
// to the page (MENU_COMMANDS) are all built from it, so they cannot disagree.

export type Platform = 'mac' | 'other'

export interface KeySpec {
  /** KeyboardEvent.key, lower-cased: 'z', 'tab', 'escape', 'backspace', '?', '['. */
  readonly key: string
  /** Cmd on macOS, Ctrl elsewhere. */
  readonly mod?: boolean
  readonly shift?: boolean
  /** Only on this platform (on both when absent). */
  readonly only?: Platform
  /** Only while the drawing has the focus (Tab must keep moving focus everywhere else). */
  readonly canvasOnly?: boolean
}

const SHEET_SECTIONS = ['Drawing', 'Seeing', 'Attempt'] as const
export type SheetSection = (typeof SHEET_SECTIONS)[number]

export type MenuName = 'File' | 'Edit' | 'View' | 'Help'

interface MenuPlacement {
  readonly menu: MenuName
  readonly label: string
  /** Items of a menu are grouped by this number, groups apart by separators. */
  readonly group: number
}

interface CommandSpec {
  readonly id: string
  readonly sheet: SheetSection
  /** How the shortcuts sheet names it. */
  readonly label: string
  /** The first key of a platform is the one the menu shows. */
  readonly keys: readonly KeySpec[]
  readonly menu?: MenuPlacement
}

/** In the shortcuts sheet's reading order, which is also each menu's order. */
export const COMMANDS = [
  { id: 'tool-pen', sheet: 'Drawing', label: 'Pen', keys: [{ key: 'p' }] },
  {
    id: 'tool-construction',
    sheet: 'Drawing',
    label: 'Construction pen: faint lines, never scored',
    keys: [{ key: 'c' }]
  },
  { id: 'tool-eraser', sheet: 'Drawing', label: 'Eraser (or the pen’s eraser end)', keys: [{ key: 'e' }] },
  { id: 'size-down', sheet: 'Drawing', label: 'Smaller tool', keys: [{ key: '[' }] },
  { id: 'size-up', sheet: 'Drawing', label: 'Larger tool', keys: [{ key: ']' }] },
  {
    id: 'undo',
    sheet: 'Drawing',
    label: 'Undo',
    keys: [{ key: 'z', mod: true }],
    menu: { menu: 'Edit', label: 'Undo', group: 0 }
  },
  {
    id: 'redo',
    sheet: 'Drawing',
    label: 'Redo',
    // Ctrl+Y is the Windows and Linux habit; on macOS Cmd+Y is not redo.
    keys: [
      { key: 'z', mod: true, shift: true },
      { key: 'y', mod: true, only: 'other' }
    ],
    menu: { menu: 'Edit', label: 'Redo', group: 0 }
  },
  {
    id: 'clear',
    sheet: 'Drawing',
    label: 'Clear the drawing (undoable)',
    keys: [{ key: 'backspace', mod: true }],
    menu: { menu: 'Edit', label: 'Clear Drawing', group: 1 }
  },
  {
    id: 'clear-construction',
    sheet: 'Drawing',
    label: 'Clear the construction lines (undoable)',
    keys: [{ key: 'backspace', mod: true, shift: true }],
    menu: { menu: 'Edit', label: 'Clear Construction Lines', group: 1 }
  },
  {
    id: 'toggle-grid',
    sheet: 'Seeing',
    label: 'Grid (10 × 10, the evaluator’s)',
    keys: [{ key: 'g' }],
    menu: { menu: 'View', label: 'Grid', group: 0 }
  },
  {
    id: 'toggle-flip',
    sheet: 'Seeing',
    label: 'Flip both horizontally',
    keys: [{ key: 'f' }],
    menu: { menu: 'View', label: 'Flip Horizontally', group: 0 }
  },
  {
    id: 'toggle-construction',
    sheet: 'Seeing',
    label: 'Show or hide the construction lines',
    keys: [{ key: 'c', shift: true }],
    menu: { menu: 'View', label: 'Construction Lines', group: 0 }
  },
  {
    id: 'cycle-feedback',
    sheet: 'Seeing',
    label: 'Feedback: live score, score hidden until Evaluate, memory drawing (the next one)',
    keys: [{ key: 'b' }],
    menu: { menu: 'View', label: 'Next Feedback Mode', group: 0 }
  },
  {
    id: 'flicker-reference',
    sheet: 'Seeing',
    label: 'Hold to see the reference (the report’s flicker comparison)',
    keys: [{ key: 'r' }]
  },
  {
    id: 'evaluate',
    sheet: 'Seeing',
    label: 'Evaluate (with the drawing focused)',
    keys: [{ key: 'tab', canvasOnly: true }],
    menu: { menu: 'View', label: 'Evaluate', group: 1 }
  },
  {
    id: 'new-attempt',
    sheet: 'Attempt',
    label: 'New attempt',
    keys: [{ key: 'n', mod: true }],
    menu: { menu: 'File', label: 'New Attempt', group: 0 }
  },
  {
    id: 'open-reference',
    sheet: 'Attempt',
    label: 'Open a reference',
    keys: [{ key: 'o', mod: true }],
    menu: { menu: 'File', label: 'Open Reference…', group: 0 }
  },
  {
    id: 'show-history',
    sheet: 'Attempt',
    label: 'History: past attempts, progress, replay',
    keys: [{ key: 'h' }],
    menu: { menu: 'View', label: 'History…', group: 1 }
  },
  {
    id: 'show-settings',
    sheet: 'Attempt',
    label: 'Settings',
    keys: [{ key: ',', mod: true }],
    menu: { menu: 'File', label: 'Settings…', group: 1 }
  },
  {
    id: 'show-shortcuts',
    sheet: 'Attempt',
    label: 'This sheet',
    keys: [{ key: '?' }],
    menu: { menu: 'Help', label: 'Keyboard Shortcuts', group: 0 }
  },
  {
    id: 'tablet-check',
    sheet: 'Attempt',
    label: 'Tablet check: pressure, tilt, buttons, rate',
    keys: [{ key: 't' }],
    menu: { menu: 'Help', label: 'Tablet Check…', group: 0 }
  },
  { id: 'close', sheet: 'Attempt', label: 'Close a panel or dialog', keys: [{ key: 'escape' }] }
] as const satisfies readonly CommandSpec[]

type Entry = (typeof COMMANDS)[number]
export type CommandId = Entry['id']
/** The commands with a place in the desktop menu: the only ones the menu may send the page. */
export type MenuCommand = Extract<Entry, { menu: MenuPlacement }>['id']

export const MENU_COMMANDS: readonly MenuCommand[] = COMMANDS.flatMap((c) => ('menu' in c ? [c.id] : []))

function commandSpec(id: CommandId): CommandSpec {
  return COMMANDS.find((c) => c.id === id)!
}

/** A command's keys on a platform, the menu's one first. */
export function keysOn(command: CommandId, platform: Platform): KeySpec[] {
  return commandSpec(command).keys.filter((k: KeySpec) => !k.only || k.only === platform)
}

/** The shortcuts sheet: its sections in order, each command in table order. */
export const SHORTCUT_SHEET: { title: SheetSection; items: { command: CommandId; label: string }[] }[] =
  SHEET_SECTIONS.map((title) => ({
    title,
    items: COMMANDS.filter((c) => c.sheet === title).map((c) => ({ command: c.id, label: c.label }))
  }))
