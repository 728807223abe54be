// The command table and what is built from it: key handling, key labels, the shortcuts sheet.
import { describe, expect, it } from 'vitest'
import {
  COMMANDS,
  MENU_COMMANDS,
  SHORTCUT_SHEET,
  keysOn,
  type KeySpec,
  type Platform
} from '#shared/keyboard/commands.ts'
import { accelerator, commandForKey, keyLabel, keysFor, menuOwnsKey, type KeyLike } from '#shared/keyboard/keys.ts'

const PLATFORMS: Platform[] = ['mac', 'other']

/** The key press a key of the table is, on a platform (Cmd on macOS, Ctrl elsewhere). */
function press(k: KeySpec, platform: Platform): KeyLike {
  const key = k.key.length === 1 ? k.key : { tab: 'Tab', escape: 'Escape', backspace: 'Backspace' }[k.key]!
  return {
    key: k.shift ? key.toUpperCase() : key,
    ctrlKey: Boolean(k.mod) && platform === 'other',
    metaKey: Boolean(k.mod) && platform === 'mac',
    shiftKey: Boolean(k.shift) || k.key === '?',
    altKey: false
  }
}
const page = { menuOwnsAccelerators: false, canvasFocused: true }

describe('the command table', () => {
  it('puts every command in the sheet once, each with a key on every platform, and nothing else', () => {
    const inSheet = SHORTCUT_SHEET.flatMap((s) => s.items.map((i) => i.command))
    expect(new Set(inSheet).size).toBe(inSheet.length)
    expect([...inSheet].sort()).toEqual(COMMANDS.map((c) => c.id).sort())
    for (const platform of PLATFORMS) for (const c of inSheet) expect(keysOn(c, platform).length).toBeGreaterThan(0)
    expect(SHORTCUT_SHEET.map((s) => s.title)).toEqual(['Drawing', 'Seeing', 'Attempt'])
  })

  it('gives no two commands the same key on a platform', () => {
    for (const platform of PLATFORMS) {
      const seen = new Map<string, string>()
      for (const c of COMMANDS)
        for (const k of keysOn(c.id, platform)) {
          const id = `${k.mod ? 'mod+' : ''}${k.shift ? 'shift+' : ''}${k.key}`
          expect(seen.get(id), `${id} on ${platform}`).toBeUndefined()
          seen.set(id, c.id)
        }
    }
  })

  it('runs each command from each of its keys, on the page without a menu', () => {
    for (const platform of PLATFORMS)
      for (const c of COMMANDS)
        for (const k of keysOn(c.id, platform)) expect(commandForKey(press(k, platform), page, platform)).toBe(c.id)
  })

  it('lists as menu commands exactly those with a menu place', () => {
    expect([...MENU_COMMANDS].sort()).toEqual(
      COMMANDS.filter((c) => 'menu' in c)
        .map((c) => c.id)
        .sort()
    )
    expect(MENU_COMMANDS).not.toContain('close')
    expect(MENU_COMMANDS).not.toContain('tool-pen')
  })
})

describe('key handling', () => {
  const browser = { menuOwnsAccelerators: false, canvasFocused: false }
  const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...mods
  })

  it('keeps Ctrl+Y for redo off macOS only', () => {
    expect(commandForKey(key('y', { ctrlKey: true }), browser, 'other')).toBe('redo')
    expect(commandForKey(key('y', { metaKey: true }), browser, 'mac')).toBeNull()
    expect(commandForKey(key('Z', { metaKey: true, shiftKey: true }), browser, 'mac')).toBe('redo')
  })

  it('leaves to the menu only the modifier keys it shows', () => {
    const undo = keysOn('undo', 'other')[0]
    const redoY = keysOn('redo', 'other')[1]
    expect(menuOwnsKey('undo', undo, 'other')).toBe(true)
    expect(menuOwnsKey('redo', redoY, 'other')).toBe(false) // not the one the menu shows
    expect(menuOwnsKey('toggle-grid', keysOn('toggle-grid', 'other')[0], 'other')).toBe(false) // no modifier
    expect(menuOwnsKey('close', keysOn('close', 'other')[0], 'other')).toBe(false) // not in the menu
  })
})

describe('key labels and accelerators', () => {
  it('reads as people expect on each platform', () => {
    expect(keysFor('redo', 'other')).toEqual(['Ctrl+Shift+Z', 'Ctrl+Y'])
    expect(keysFor('redo', 'mac')).toEqual(['⌘⇧Z'])
    expect(keysFor('clear', 'other')).toEqual(['Ctrl+Backspace'])
    expect(keysFor('clear', 'mac')).toEqual(['⌘⌫'])
    expect(keysFor('close', 'mac')).toEqual(['Esc'])
    expect(keysFor('evaluate', 'other')).toEqual(['Tab'])
    expect(keysFor('size-down', 'other')).toEqual(['['])
    expect(keyLabel({ key: 'g' }, 'mac')).toBe('G')
  })

  it('writes Electron accelerators', () => {
    expect(accelerator({ key: 'z', mod: true, shift: true })).toBe('CmdOrCtrl+Shift+Z')
    expect(accelerator({ key: 'backspace', mod: true })).toBe('CmdOrCtrl+Backspace')
    expect(accelerator({ key: 'tab' })).toBe('Tab')
    expect(accelerator({ key: '?' })).toBe('?')
  })
})
