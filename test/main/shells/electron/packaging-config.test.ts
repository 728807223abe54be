// The installer configuration (electron-builder.yml), read as electron-builder reads it: the
// fuses that harden the shipped binary, and paths that exist. npm run dist itself needs the
// Electron binary and the network, so this is what the suite can hold it to.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../../..')
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>

describe('electron-builder.yml', () => {
  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspector, app code only from a checked asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    })
    // runAsNode off breaks child_process.fork in the desktop app: its processes are utility processes.
    for (const launcher of ['evaluator-launcher.ts', 'decoder-launcher.ts'])
      expect(readFileSync(join(root, 'src/main/shells/electron', launcher), 'utf8')).toContain('utilityProcess.fork(')
  })

  it('ships the built app and the bundled references, with sharp unpacked and icons that exist', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'resources/references/**', 'package.json']))
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/sharp/**', '**/node_modules/@img/**']))
    const icons = [
      (config.win as { icon: string }).icon,
      (config.mac as { icon: string }).icon,
      (config.linux as { icon: string }).icon
    ]
    for (const icon of icons) expect(existsSync(join(root, icon)), icon).toBe(true)
    expect(existsSync(join(root, 'resources/references'))).toBe(true)
  })
})
