import { describe, expect, it } from 'vitest'
import { MENU_COMMANDS, isMenuCommand } from '#shared/contract/bridge.ts'
import { COMMANDS } from '#shared/keyboard/commands.ts'
import { SHORTCUT_SHEET, commandForKey, keysFor, type KeyLike } from '#renderer/commands.ts'

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods
})
const browser = { menuOwnsAccelerators: false, canvasFocused: false }

describe('keyboard shortcuts', () => {
  it('maps the issue’s shortcuts (Ctrl or Cmd)', () => {
    expect(commandForKey(key('z', { ctrlKey: true }), browser)).toBe('undo')
    expect(commandForKey(key('z', { metaKey: true }), browser)).toBe('undo')
    expect(commandForKey(key('Z', { ctrlKey: true, shiftKey: true }), browser)).toBe('redo')
    expect(commandForKey(key('y', { ctrlKey: true }), browser)).toBe('redo')
    expect(commandForKey(key('n', { ctrlKey: true }), browser)).toBe('new-attempt')
    expect(commandForKey(key('o', { ctrlKey: true }), browser)).toBe('open-reference')
    expect(commandForKey(key('?', { shiftKey: true }), browser)).toBe('show-shortcuts')
    expect(commandForKey(key('Escape'), browser)).toBe('close')
    expect(commandForKey(key('g'), browser)).toBe('toggle-grid')
    expect(commandForKey(key('z'), browser)).toBeNull() // a plain z is nothing
    expect(commandForKey(key('z', { ctrlKey: true, altKey: true }), browser)).toBeNull()
    expect(commandForKey(key('g', { ctrlKey: true }), browser)).toBeNull()
  })

  it('evaluates with Tab only while the drawing has focus (Tab moves focus everywhere else)', () => {
    expect(commandForKey(key('Tab'), browser)).toBeNull()
    expect(commandForKey(key('Tab'), { ...browser, canvasFocused: true })).toBe('evaluate')
    expect(commandForKey(key('Tab', { shiftKey: true }), { ...browser, canvasFocused: true })).toBeNull()
  })

  it('leaves the menu’s accelerators to the desktop menu, and keeps the rest', () => {
    const electron = { menuOwnsAccelerators: true, canvasFocused: true }
    expect(commandForKey(key('z', { ctrlKey: true }), electron)).toBeNull()
    expect(commandForKey(key('n', { ctrlKey: true }), electron)).toBeNull()
    expect(commandForKey(key('y', { ctrlKey: true }), electron)).toBe('redo')
    expect(commandForKey(key('Tab'), electron)).toBe('evaluate')
    expect(commandForKey(key('b'), electron)).toBe('cycle-feedback')
    expect(commandForKey(key('r'), electron)).toBe('flicker-reference')
  })

  it('lists every command of the sheet with its keys, and every command with keys in the sheet', () => {
    const inSheet = SHORTCUT_SHEET.flatMap((section) => section.items.map((item) => item.command))
    for (const c of inSheet) expect(keysFor(c).length).toBeGreaterThan(0)
    expect(new Set(inSheet)).toEqual(new Set(COMMANDS.filter((c) => keysFor(c.id).length > 0).map((c) => c.id)))
    expect(keysFor('redo')).toEqual(['Ctrl+Shift+Z', 'Ctrl+Y'])
  })
})

describe('menu commands', () => {
  it('accepts only the named commands (what the preload lets through to the page)', () => {
    for (const c of MENU_COMMANDS) expect(isMenuCommand(c)).toBe(true)
    for (const bad of ['', 'UNDO', 'undo ', 'eval', 42, null, undefined, { command: 'undo' }, ['undo']])
      expect(isMenuCommand(bad)).toBe(false)
  })

  it('has a shortcut for every menu command', () => {
    for (const c of MENU_COMMANDS) expect(keysFor(c).length).toBeGreaterThan(0)
  })
})
