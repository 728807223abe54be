import { describe, expect, it } from 'vitest'
import { parseHostArgs } from '#main/shells/host/args.ts'
import { defaultDataDir } from '#main/platform/paths.ts'

describe('host arguments', () => {
  it('reads --port, --data-dir, --trace and --take-over-lock', () => {
    expect(parseHostArgs(['--port', '8123', '--data-dir', '/tmp/x'])).toEqual({
      port: 8123,
      dataDir: '/tmp/x',
      trace: false,
      takeOverLock: false
    })
    expect(parseHostArgs([])).toEqual({ port: 0, dataDir: undefined, trace: false, takeOverLock: false })
    expect(parseHostArgs(['--trace']).trace).toBe(true)
    expect(parseHostArgs(['--take-over-lock']).takeOverLock).toBe(true)
  })
  it.each([['--port', 'abc'], ['--port', '70000'], ['--port', '-1'], ['--bogus']])('refuses %s %s', (...argv) => {
    expect(() => parseHostArgs(argv)).toThrow()
  })
  it('puts the data folder where each OS keeps it', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/sightline-studio')
    expect(defaultDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Sightline Studio$/)
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('Sightline Studio')
  })
})
