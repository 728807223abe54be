// The desktop menu, built from the command table (src/shared/keyboard/): each item sends its
// command to the page, which runs it exactly as it runs the key; the accelerators the menu
// registers are the ones the page leaves alone (menuOwnsKey). Pure: testable without Electron.
import type { MenuItemConstructorOptions } from 'electron'
import { COMMANDS, keysOn, type MenuCommand, type MenuName, type Platform } from '#shared/keyboard/commands.ts'
import { accelerator, menuOwnsKey } from '#shared/keyboard/keys.ts'

export interface MenuOptions {
  platform: Platform
  /** A packaged app has no developer tools item. */
  packaged: boolean
  /** Sends a command to the studio page. */
  send: (command: MenuCommand) => void
}

export function studioMenuTemplate({ platform, packaged, send }: MenuOptions): MenuItemConstructorOptions[] {
  const commandsOf = (menu: MenuName): MenuItemConstructorOptions[] => {
    const items: MenuItemConstructorOptions[] = []
    let group: number | null = null
    for (const c of COMMANDS) {
      if (!('menu' in c) || c.menu.menu !== menu) continue
      if (group !== null && c.menu.group !== group) items.push({ type: 'separator' })
      group = c.menu.group
      const key = keysOn(c.id, platform)[0]
      items.push({
        label: c.menu.label,
        accelerator: key ? accelerator(key) : undefined,
        registerAccelerator: key ? menuOwnsKey(c.id, key, platform) : false,
        click: () => send(c.id)
      })
    }
    return items
  }
  const mac = platform === 'mac'
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [...commandsOf('File'), { type: 'separator' }, mac ? { role: 'close' } : { role: 'quit' }]
    },
    { label: 'Edit', submenu: commandsOf('Edit') },
    {
      label: 'View',
      submenu: [
        ...commandsOf('View'),
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(packaged ? [] : [{ role: 'toggleDevTools' } as const])
      ]
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: commandsOf('Help') }
  ]
}
