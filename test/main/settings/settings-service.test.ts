import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, applySettingsPatch, type Settings } from '#shared/contract/settings.ts'
import { TOOL_SIZES } from '#shared/stroke/tool-sizes.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { settingsPatchSchema, storedSettingsSchema } from '#main/settings/schema.ts'
import { SETTINGS_FILE, SettingsService, readSettingsSync } from '#main/settings/settings-service.ts'
import { makeReadOnly, readOnlyUnsupported } from '../history/fixtures/read-only.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const root = tempDir()
let n = 0
const freshDir = (): string => {
  const dir = join(root, `d${n++}`)
  mkdirSync(dir)
  return dir
}

describe('settings service', () => {
  it('starts from the defaults when there is no file, and writes nothing until a change', async () => {
    const dir = freshDir()
    const service = await SettingsService.open(dir)
    expect(service.get()).toEqual(DEFAULT_SETTINGS)
    expect(service.problem).toBeNull()
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(false)
  })

  it('keeps a change across a restart, merging groups field by field', async () => {
    const dir = freshDir()
    const first = await SettingsService.open(dir)
    await first.update({ name: 'Ada', toolSizes: { eraser: 24 } })
    const after = await first.update({ theme: 'dark' })
    expect(after).toEqual({ ...DEFAULT_SETTINGS, name: 'Ada', theme: 'dark', toolSizes: { pen: 3, eraser: 24 } })
    const again = await SettingsService.open(dir)
    expect(again.get()).toEqual(after)
  })

  it('writes changes in the order they were made', async () => {
    const dir = freshDir()
    const service = await SettingsService.open(dir)
    await Promise.all(TOOL_SIZES.pen.map((pen) => service.update({ toolSizes: { pen } })))
    expect((await SettingsService.open(dir)).get().toolSizes.pen).toBe(TOOL_SIZES.pen.at(-1))
  })

  it('sets a file that is not a settings file aside, keeps it, and uses the defaults', async () => {
    expect(readSettingsSync(freshDir())).toEqual(DEFAULT_SETTINGS)
    for (const text of ['{not json', '[]', '"x"', '{"format":"other","settings":{}}', '']) {
      const dir = freshDir()
      writeFileSync(join(dir, SETTINGS_FILE), text)
      expect(readSettingsSync(dir)).toEqual(DEFAULT_SETTINGS) // read first: it leaves the file alone
      const service = await SettingsService.open(dir)
      expect(service.get()).toEqual(DEFAULT_SETTINGS)
      expect(service.problem).toMatch(/was not a settings file; it was kept as .*settings\.corrupt-.*\.json/)
      const aside = readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-'))
      expect(aside).toHaveLength(1)
      expect(readFileSync(join(dir, aside[0]), 'utf8')).toBe(text)
    }
  })

  it('replaces only the values that are damaged, and keeps what a newer version wrote', async () => {
    const dir = freshDir()
    const file = {
      format: 'sightline-settings',
      version: 2,
      settings: {
        name: 'Ada',
        theme: 'neon',
        toolSizes: { pen: 6, eraser: -1 },
        feedback: { mode: 'memory', memorySeconds: 7, strokeFeedback: 'yes' },
        training: { dailyGoalMinutes: 30, sessionTimeScale: 0 },
        frame: { longestSide: 600 },
        timer: { idlePauseSeconds: 60 },
        pen: { pressureCurve: 'firm', barrelButton: 'sideways' },
        displayServer: 'x11',
        laterFeature: { on: true }
      }
    }
    writeFileSync(join(dir, SETTINGS_FILE), JSON.stringify(file))
    const service = await SettingsService.open(dir)
    const expected = {
      name: 'Ada',
      theme: 'system',
      toolSizes: { pen: 6, eraser: 16 },
      frame: { longestSide: 500 },
      timer: { idlePauseSeconds: 60 },
      pen: { pressureCurve: 'firm', barrelButton: 'eraser' },
      displayServer: 'x11',
      feedback: { mode: 'memory', memorySeconds: 30, strokeFeedback: true },
      // A time scale of 0 would stop every clock: it falls back; the goal stays.
      training: { dailyGoalMinutes: 30, sessionTimeScale: 1 }
    }
    expect(service.get()).toEqual(expected)
    // The desktop app's synchronous read at start gives the same.
    expect(readSettingsSync(dir)).toEqual(expected)
    await service.update({ theme: 'light' })
    const written = JSON.parse(readFileSync(join(dir, SETTINGS_FILE), 'utf8')) as typeof file
    expect(written.settings.laterFeature).toEqual({ on: true })
    expect(written.settings.theme).toBe('light')
  })

  it('takes the feedback settings from a window, and refuses values that are not on offer', async () => {
    const { api } = await openStudio({ dataDir: freshDir() })
    const ok = await dispatch(api, 'updateSettings', { feedback: { mode: 'on-evaluate', memorySeconds: 60 } })
    expect(ok).toMatchObject({
      ok: true,
      value: { feedback: { mode: 'on-evaluate', memorySeconds: 60, strokeFeedback: true } }
    })
    for (const feedback of [{ mode: 'blind' }, { memorySeconds: 45 }, { strokeFeedback: 1 }, { other: true }])
      expect(await dispatch(api, 'updateSettings', { feedback })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input' }
      })
  })

  it('reads any JSON value back as valid settings, never throwing (fuzzed)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        for (const raw of [a, { ...DEFAULT_SETTINGS, name: a, toolSizes: b }]) {
          if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue
          const settings = storedSettingsSchema.parse(raw)
          // Valid: every field passes the patch schema, i.e. a window could have set it.
          expect(settingsPatchSchema.safeParse(settings).success).toBe(true)
        }
      })
    )
  })

  it.skipIf(readOnlyUnsupported)('keeps a change for this run when the disk refuses it, and says why', async () => {
    const dir = freshDir()
    const service = await SettingsService.open(dir)
    const undo = makeReadOnly(dir)
    try {
      await expect(service.update({ theme: 'dark' })).rejects.toMatchObject({ code: 'storage' })
      expect(service.get().theme).toBe('dark')
    } finally {
      undo()
    }
    await service.update({ name: 'Bo' })
    expect((await SettingsService.open(dir)).get()).toMatchObject({ theme: 'dark', name: 'Bo' })
  })
})

describe('settings through the API', () => {
  it('answers with the whole settings and refuses what a window may not set', async () => {
    const { api } = await openStudio({ dataDir: freshDir() })
    expect(await dispatch(api, 'getSettings', undefined)).toEqual({ ok: true, value: DEFAULT_SETTINGS })
    expect(await dispatch(api, 'updateSettings', { toolSizes: { pen: 12 } })).toEqual({
      ok: true,
      value: { ...DEFAULT_SETTINGS, toolSizes: { pen: 12, eraser: 16 } }
    })
    for (const bad of [
      { toolSizes: { pen: 5 } },
      { name: 'two\nlines' },
      { name: 'x'.repeat(81) },
      { theme: 'neon' },
      { other: 1 },
      { toolSizes: { pen: 3, brush: 2 } },
      { frame: { longestSide: 600 } },
      { frame: { longestSide: '500' } },
      { timer: { idlePauseSeconds: 45 } },
      { timer: { idlePauseSeconds: -1 } },
      { pen: { pressureCurve: 'steep' } },
      { pen: { barrelButton: 'undo' } },
      { displayServer: 'wayland-only' },
      null
    ]) {
      expect(await dispatch(api, 'updateSettings', bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
    expect((await api.getSettings()).toolSizes.pen).toBe(12)
    expect(
      await dispatch(api, 'updateSettings', { frame: { longestSide: 750 }, timer: { idlePauseSeconds: 0 } })
    ).toMatchObject({ ok: true, value: { frame: { longestSide: 750 }, timer: { idlePauseSeconds: 0 } } })
    expect(await dispatch(api, 'updateSettings', { name: '  Ada Lovelace ' })).toMatchObject({
      ok: true,
      value: { name: 'Ada Lovelace' }
    })
  })

  it('applies a patch exactly as the pure merge does (fuzzed)', () => {
    const patch = fc.record(
      {
        name: fc.string({ maxLength: 10 }).filter((s) => s.trim() === s && !/\p{Cc}/u.test(s)),
        theme: fc.constantFrom<Settings['theme']>('system', 'light', 'dark'),
        toolSizes: fc.record(
          { pen: fc.constantFrom(...TOOL_SIZES.pen), eraser: fc.constantFrom(...TOOL_SIZES.eraser) },
          { requiredKeys: [] }
        ),
        pen: fc.record(
          {
            pressureCurve: fc.constantFrom<Settings['pen']['pressureCurve']>('soft', 'linear', 'firm'),
            barrelButton: fc.constantFrom<Settings['pen']['barrelButton']>('eraser', 'nothing')
          },
          { requiredKeys: [] }
        ),
        displayServer: fc.constantFrom<Settings['displayServer']>('auto', 'x11')
      },
      { requiredKeys: [] }
    )
    fc.assert(
      fc.property(fc.array(patch, { maxLength: 6 }), (patches) => {
        let merged: Settings = DEFAULT_SETTINGS
        for (const p of patches) merged = applySettingsPatch(merged, settingsPatchSchema.parse(p))
        // The naive model: the last value given for each field wins.
        const expected = structuredClone(DEFAULT_SETTINGS) as Settings
        for (const p of patches) {
          if (p.name !== undefined) expected.name = p.name
          if (p.theme !== undefined) expected.theme = p.theme
          Object.assign(expected.toolSizes, p.toolSizes)
          Object.assign(expected.pen, p.pen)
          if (p.displayServer !== undefined) expected.displayServer = p.displayServer
        }
        expect(merged).toEqual(expected)
      })
    )
  })
})
