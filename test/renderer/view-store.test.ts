import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { FEEDBACK_MODES } from '#shared/contract/settings.ts'
import { useSettingsStore } from '#renderer/stores/settings.ts'
import { useViewStore } from '#renderer/stores/view.ts'

describe('the view store: when the score is hidden', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('hides it in every feedback mode but live, and whenever blind (a training session’s memory drawing)', () => {
    const settings = useSettingsStore()
    const view = useViewStore()
    for (const mode of FEEDBACK_MODES)
      for (const blind of [false, true]) {
        settings.settings = { ...settings.settings, feedback: { ...settings.settings.feedback, mode } }
        view.blind = blind
        expect(view.scoreHidden, `${mode}, blind ${blind}`).toBe(blind || mode !== 'live')
      }
  })

  it('blind is not saved: the feedback mode setting stays as it was', () => {
    const settings = useSettingsStore()
    const view = useViewStore()
    view.blind = true
    expect(settings.settings.feedback.mode).toBe('live')
    expect(view.feedbackMode).toBe('live')
    view.blind = false
    expect(view.scoreHidden).toBe(false)
  })
})
