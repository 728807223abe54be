import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  DEFAULT_SETTINGS,
  applySettingsPatch,
  type Settings,
  type SettingsApi,
  type SettingsPatch
} from '#shared/contract/settings.ts'
import { StudioError } from '#shared/contract/errors.ts'
import SettingsDialog from '#renderer/components/SettingsDialog.vue'
import { applyTheme, useSettingsStore } from '#renderer/stores/settings.ts'
import { useViewStore } from '#renderer/stores/view.ts'

/** The main side's settings, as far as the store can tell: kept in memory, optionally refusing to save. */
function fakeSettingsApi(start: Settings = DEFAULT_SETTINGS) {
  let kept = start
  let refuse = false
  const updateSettings = vi.fn(async (patch: SettingsPatch) => {
    kept = applySettingsPatch(kept, { ...patch, ...(patch.name !== undefined ? { name: patch.name.trim() } : {}) })
    if (refuse) throw new StudioError('storage', 'could not save the settings: the disk is full')
    return kept
  })
  const api: SettingsApi = { getSettings: async () => kept, updateSettings }
  return { api, updateSettings, refuseSaves: () => (refuse = true) }
}

beforeEach(() => {
  setActivePinia(createPinia())
  delete document.documentElement.dataset.theme
})

describe('settings store', () => {
  it('loads the settings the main side keeps, and keeps a change after its answer', async () => {
    const fake = fakeSettingsApi({ ...DEFAULT_SETTINGS, name: 'Ada', theme: 'dark' })
    const store = useSettingsStore()
    await store.connect(fake.api)
    expect(store.settings).toMatchObject({ name: 'Ada', theme: 'dark' })
    const saved = store.update({ toolSizes: { pen: 8 } })
    expect(store.settings.toolSizes).toEqual({ pen: 8, eraser: 16 }) // shown before the answer
    await saved
    expect(fake.updateSettings).toHaveBeenCalledWith({ toolSizes: { pen: 8 } })
    expect(store.problem).toBeNull()
  })

  it('says when a change could not be saved, and keeps it for this run', async () => {
    const fake = fakeSettingsApi()
    const store = useSettingsStore()
    await store.connect(fake.api)
    fake.refuseSaves()
    await store.update({ theme: 'light' })
    expect(store.settings.theme).toBe('light')
    expect(store.problem).toBe('Settings not saved: could not save the settings: the disk is full')
  })

  it('remembers tool sizes: a step through the sizes is a saved setting', async () => {
    const fake = fakeSettingsApi()
    await useSettingsStore().connect(fake.api)
    const view = useViewStore()
    view.stepSize(1)
    await flushPromises()
    expect(view.sizes.pen).toBe(4)
    expect(fake.updateSettings).toHaveBeenLastCalledWith({ toolSizes: { pen: 4 } })
    view.tool = 'eraser'
    view.stepSize(-1)
    await flushPromises()
    expect(view.sizes).toEqual({ pen: 4, eraser: 10 })
  })

  it('sets the theme on the root element, and removes it to follow the system', async () => {
    const fake = fakeSettingsApi()
    const store = useSettingsStore()
    await store.connect(fake.api)
    const stop = applyTheme()
    expect(document.documentElement.dataset.theme).toBeUndefined()
    await store.update({ theme: 'dark' })
    await flushPromises()
    expect(document.documentElement.dataset.theme).toBe('dark')
    await store.update({ theme: 'system' })
    await flushPromises()
    expect(document.documentElement.dataset.theme).toBeUndefined()
    stop()
  })
})

describe('settings dialog', () => {
  it('changes the theme and saves the name when the field is left', async () => {
    const fake = fakeSettingsApi()
    await useSettingsStore().connect(fake.api)
    const wrapper = mount(SettingsDialog, { attachTo: document.body })
    await wrapper.get('[data-testid=settings-theme-dark]').trigger('click')
    expect(wrapper.get('[data-testid=settings-theme-dark]').attributes('aria-checked')).toBe('true')
    expect(wrapper.get('[data-testid=settings-theme-system]').attributes('aria-checked')).toBe('false')
    const name = wrapper.get('[data-testid=settings-name]')
    await name.setValue('  Ada Lovelace ')
    expect(fake.updateSettings).not.toHaveBeenCalledWith({ name: 'Ada Lovelace' }) // not at every key
    await name.trigger('blur')
    await flushPromises()
    expect(fake.updateSettings).toHaveBeenCalledWith({ name: 'Ada Lovelace' })
    expect((name.element as HTMLInputElement).value).toBe('Ada Lovelace')
    wrapper.unmount()
  })

  it('shows why a change was not saved', async () => {
    const fake = fakeSettingsApi()
    await useSettingsStore().connect(fake.api)
    fake.refuseSaves()
    const wrapper = mount(SettingsDialog, { attachTo: document.body })
    await wrapper.get('[data-testid=settings-theme-light]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid=settings-problem]').text()).toContain('the disk is full')
    wrapper.unmount()
  })
})
