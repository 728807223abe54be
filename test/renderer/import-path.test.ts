import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ReferenceSummary } from '#shared/contract/api.ts'
import type { SightlineBridge } from '#shared/contract/bridge.ts'
import { useReferencesStore } from '#renderer/stores/references.ts'
import { fakeApi } from './fake-api.ts'

const summary: ReferenceSummary = {
  id: 'lib:abc',
  name: 'still life',
  source: 'library',
  width: 640,
  height: 480,
  ink: { mode: 'auto', threshold: 120 },
  fileName: 'still life.png',
  format: 'png',
  bytes: 5,
  createdAt: new Date(0).toISOString(),
  lastUsedAt: new Date(0).toISOString(),
  photo: false,
  tags: []
}

describe('importing a chosen or dropped file', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:x')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  })
  afterEach(() => {
    delete (window as { sightline?: SightlineBridge }).sightline
  })

  it('hands the desktop app the file path from the preload, not the bytes', async () => {
    const pathForFile = vi.fn(() => '/home/artist/refs/still life.png')
    ;(window as { sightline?: Partial<SightlineBridge> }).sightline = { pathForFile }
    const importReference = vi.fn(async () => summary)
    const { api } = fakeApi({ importReference })
    const store = useReferencesStore()
    await store.connect(api)
    const file = new File([new Uint8Array([1, 2, 3, 4, 5])], 'still life.png', { type: 'image/png' })
    expect(await store.importFile(file)).toBeNull()
    expect(pathForFile).toHaveBeenCalledWith(file)
    expect(importReference).toHaveBeenCalledWith({ path: '/home/artist/refs/still life.png' })
  })

  it('uploads the bytes where there is no path (the Node host)', async () => {
    const importReference = vi.fn(async () => summary)
    const { api } = fakeApi({ importReference })
    const store = useReferencesStore()
    await store.connect(api)
    const file = new File([new Uint8Array([9, 8, 7])], 'still life.png', { type: 'image/png' })
    expect(await store.importFile(file)).toBeNull()
    expect(importReference).toHaveBeenCalledWith({ fileName: 'still life.png', bytes: new Uint8Array([9, 8, 7]) })
  })
})
