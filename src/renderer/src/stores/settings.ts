import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import {
  DEFAULT_SETTINGS,
  applySettingsPatch,
  type Settings,
  type SettingsApi,
  type SettingsPatch
} from '#shared/contract/settings.ts'

/**
 * The person's settings as the main side keeps them. A change shows at once (applied here first)
 * and is then saved; the main side's answer is the truth. A save the disk refused is said in
 * `problem`, and the change still holds for this run.
 */
export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings>(DEFAULT_SETTINGS)
  const loaded = ref(false)
  const problem = ref<string | null>(null)
  let api: SettingsApi | null = null
  /** Saves run one after another, so the last answer is the last change. */
  let saving: Promise<unknown> = Promise.resolve()

  async function connect(settingsApi: SettingsApi): Promise<void> {
    api = settingsApi
    try {
      settings.value = await settingsApi.getSettings()
    } catch (err) {
      problem.value = `Settings could not be read: ${(err as Error).message}`
    }
    loaded.value = true
  }

  function update(patch: SettingsPatch): Promise<void> {
    settings.value = applySettingsPatch(settings.value, patch)
    const target = api
    if (!target) return Promise.resolve()
    const save = saving.then(async () => {
      try {
        settings.value = await target.updateSettings(patch)
        problem.value = null
      } catch (err) {
        problem.value = `Settings not saved: ${(err as Error).message}`
      }
    })
    saving = save
    return save
  }

  return { settings, loaded, problem, connect, update }
})

/** Light or dark as chosen; 'system' leaves it to prefers-color-scheme (styles.css). */
export function applyTheme(root: HTMLElement = document.documentElement): () => void {
  const store = useSettingsStore()
  return watch(
    () => store.settings.theme,
    (theme) => {
      if (theme === 'system') delete root.dataset.theme
      else root.dataset.theme = theme
    },
    { immediate: true }
  )
}
