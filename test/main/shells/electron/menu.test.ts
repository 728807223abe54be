// The desktop menu built from the command table: the same commands and the same keys as the
// page's key handling, and between the two every key runs its command exactly once.
import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { studioMenuTemplate } from '#main/shells/electron/menu.ts'
import { COMMANDS, MENU_COMMANDS, keysOn, type Platform } from '#shared/keyboard/commands.ts'
import { accelerator, commandForKey, type KeyLike } from '#shared/keyboard/keys.ts'

interface Item {
  menu: string
  label: string
  command: string
  accelerator: string | undefined
  registered: boolean
}

/** The command items of a template (the roles aside), with the command each click sends. */
function commandItems(platform: Platform, packaged = true): Item[] {
  let sent = ''
  const template = studioMenuTemplate({ platform, packaged, send: (c) => (sent = c) })
  const out: Item[] = []
  for (const top of template) {
    for (const item of (top.submenu ?? []) as MenuItemConstructorOptions[]) {
      if (!item.click) continue
      sent = ''
      ;(item.click as () => void)()
      out.push({
        menu: top.label ?? top.role ?? '',
        label: item.label ?? '',
        command: sent,
        accelerator: item.accelerator as string | undefined,
        registered: item.registerAccelerator !== false
      })
    }
  }
  return out
}

/** The key press an Electron accelerator stands for (Cmd on macOS, Ctrl elsewhere). */
function pressOf(acc: string, platform: Platform): KeyLike {
  const parts = acc.split('+')
  const name = parts.at(-1)!
  const key = name.length === 1 ? name.toLowerCase() : { Tab: 'Tab', Esc: 'Escape', Backspace: 'Backspace' }[name]!
  const mod = parts.includes('CmdOrCtrl')
  return {
    key,
    ctrlKey: mod && platform === 'other',
    metaKey: mod && platform === 'mac',
    shiftKey: parts.includes('Shift') || key === '?',
    altKey: false
  }
}

describe.each<Platform>(['mac', 'other'])('desktop menu on %s', (platform) => {
  const items = commandItems(platform)
  const withMenu = { menuOwnsAccelerators: true, canvasFocused: true }
  const withoutMenu = { menuOwnsAccelerators: false, canvasFocused: true }

  it('has every menu command once, and only those', () => {
    expect(items.map((i) => i.command).sort()).toEqual([...MENU_COMMANDS].sort())
  })

  it('shows for each item the key the page runs that command from', () => {
    for (const item of items) {
      expect(item.accelerator, item.label).toBeDefined()
      expect(commandForKey(pressOf(item.accelerator!, platform), withoutMenu, platform)).toBe(item.command)
    }
  })

  it('runs each key once: what the menu registers the page leaves alone, and the page runs the rest', () => {
    for (const item of items) {
      const onPage = commandForKey(pressOf(item.accelerator!, platform), withMenu, platform)
      expect(onPage, item.label).toBe(item.registered ? null : item.command)
    }
    // And every key the page leaves to the menu is one the menu registers for the same command.
    for (const c of COMMANDS)
      for (const k of keysOn(c.id, platform)) {
        const press = pressOf(accelerator(k), platform)
        if (commandForKey(press, withMenu, platform) !== null) continue
        const owner = items.find((i) => i.registered && i.command === c.id)
        expect(owner, `${c.id} ${k.key}`).toBeDefined()
        expect(owner!.accelerator).toBe(accelerator(k))
      }
  })

  it('keeps the layout people know', () => {
    expect(items.map((i) => `${i.menu}: ${i.label} [${i.accelerator}${i.registered ? '' : ', page'}]`)).toEqual([
      'File: New Attempt [CmdOrCtrl+N]',
      'File: Open Reference… [CmdOrCtrl+O]',
      'File: Settings… [CmdOrCtrl+,]',
      'Edit: Undo [CmdOrCtrl+Z]',
      'Edit: Redo [CmdOrCtrl+Shift+Z]',
      'Edit: Clear Drawing [CmdOrCtrl+Backspace]',
      'Edit: Clear Construction Lines [CmdOrCtrl+Shift+Backspace]',
      'View: Grid [G, page]',
      'View: Flip Horizontally [F, page]',
      'View: Construction Lines [Shift+C, page]',
      'View: Next Feedback Mode [B, page]',
      'View: Evaluate [Tab, page]',
      'View: History… [H, page]',
      'help: Keyboard Shortcuts [?, page]',
      'help: Tablet Check… [T, page]'
    ])
  })
})

describe('desktop menu roles', () => {
  const template = (platform: Platform, packaged: boolean): MenuItemConstructorOptions[] =>
    studioMenuTemplate({ platform, packaged, send: () => {} })
  const submenu = (t: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] =>
    t.find((m) => m.label === label)!.submenu as MenuItemConstructorOptions[]

  it('has the app menu and Close on macOS, Quit elsewhere', () => {
    expect(template('mac', true)[0]).toEqual({ role: 'appMenu' })
    expect(submenu(template('mac', true), 'File').at(-1)).toEqual({ role: 'close' })
    expect(template('other', true)[0].label).toBe('File')
    expect(submenu(template('other', true), 'File').at(-1)).toEqual({ role: 'quit' })
  })

  it('separates groups, and offers developer tools only when not packaged', () => {
    const edit = submenu(template('other', true), 'Edit').map((i) => i.type ?? i.label)
    expect(edit).toEqual(['Undo', 'Redo', 'separator', 'Clear Drawing', 'Clear Construction Lines'])
    const view = (packaged: boolean): string[] =>
      submenu(template('other', packaged), 'View').map((i) => i.type ?? i.label ?? i.role ?? '')
    expect(view(true)).toEqual([
      'Grid',
      'Flip Horizontally',
      'Construction Lines',
      'Next Feedback Mode',
      'separator',
      'Evaluate',
      'History…',
      'separator',
      'togglefullscreen'
    ])
    expect(view(false).at(-1)).toBe('toggleDevTools')
  })
})
