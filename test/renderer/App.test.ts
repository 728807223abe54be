import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { StudioApi } from '../../src/shared/api.ts'
import { StudioError } from '../../src/shared/errors.ts'
import App from '../../src/renderer/src/App.vue'
import { useStudioStore } from '../../src/renderer/src/stores/studio.ts'
import { fitPanels } from '../../src/renderer/src/canvas/fit.ts'

function fakeApi(overrides: Partial<StudioApi> = {}): StudioApi {
  return {
    appInfo: async () => ({ name: 'Sightline Studio', version: '0.1.0', shell: 'host', frame: { width: 500, height: 500 } }),
    listReferences: async () => [
      { id: 'bundled:cube', name: 'Cube', source: 'bundled', width: 1000, height: 1000 },
      { id: 'bundled:vase', name: 'Vase', source: 'bundled', width: 800, height: 1000 }
    ],
    getReferenceImage: async ({ id }) => ({ id, width: 500, height: 500, png: new Uint8Array([137, 80, 78, 71]) }),
    ...overrides
  } as StudioApi
}

describe('studio shell', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    let n = 0
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => `blob:ref-${++n}`)
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  })

  it('shows the first reference beside an empty canvas of the frame size', async () => {
    const wrapper = mount(App)
    await useStudioStore().connect(fakeApi())
    await flushPromises()
    const img = wrapper.get('[data-testid=reference]')
    expect(img.attributes('src')).toBe('blob:ref-1')
    expect(img.attributes('alt')).toBe('Reference: Cube')
    const canvas = wrapper.get('[data-testid=drawing-canvas]').element as HTMLCanvasElement
    expect([canvas.width, canvas.height]).toEqual([500, 500])
    expect(wrapper.get('[data-testid=reference-picker]').findAll('option').map((o) => o.text())).toEqual(['Cube', 'Vase'])
  })

  it('switches reference from the picker and frees the old image', async () => {
    const wrapper = mount(App)
    await useStudioStore().connect(fakeApi())
    await flushPromises()
    await wrapper.get('[data-testid=reference-picker]').setValue('bundled:vase')
    await flushPromises()
    expect(wrapper.get('[data-testid=reference]').attributes('alt')).toBe('Reference: Vase')
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:ref-1')
  })

  it('shows the main side error in the status bar', async () => {
    const wrapper = mount(App)
    await useStudioStore().connect(fakeApi({ getReferenceImage: async () => Promise.reject(new StudioError('not-found', 'no reference with id "x"')) }))
    await flushPromises()
    expect(wrapper.get('[role=alert]').text()).toBe('no reference with id "x"')
  })
})

describe('sight-size layout', () => {
  it('fits two frame-shaped panels side by side', () => {
    expect(fitPanels({ width: 1232, height: 660 }, { width: 500, height: 500 }, 24)).toEqual({ width: 604, height: 604 })
    expect(fitPanels({ width: 2000, height: 400 }, { width: 500, height: 500 }, 24)).toEqual({ width: 400, height: 400 })
    expect(fitPanels({ width: 1000, height: 1000 }, { width: 500, height: 250 }, 0)).toEqual({ width: 500, height: 250 })
    expect(fitPanels({ width: 0, height: 0 }, { width: 500, height: 500 }, 24)).toEqual({ width: 0, height: 0 })
  })
})
