// The Chromium switch for the display server the person chose (Settings, Linux only). Pure.
// Under XWayland a pen arrives as a mouse (no pressure), so on a Wayland session the app runs as
// a native Wayland client. Electron 38+ follows XDG_SESSION_TYPE on its own and ignores
// --ozone-platform-hint; --ozone-platform (set before the app is ready) is honoured either way,
// so the choice is made here explicitly, from the same variables.
import type { DisplayServer } from '#shared/contract/settings.ts'

export function displayServerSwitches(
  choice: DisplayServer,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv
): [string, string][] {
  if (platform !== 'linux') return []
  if (choice === 'x11') return [['ozone-platform', 'x11']]
  const wayland = Boolean(env.WAYLAND_DISPLAY) || env.XDG_SESSION_TYPE === 'wayland'
  return wayland ? [['ozone-platform', 'wayland']] : []
}
