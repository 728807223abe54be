import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { AppInfo, ReferenceSummary, StudioApi } from '../../../shared/api.ts'
import { useDrawingStore } from './drawing.ts'

function pngUrl(png: Uint8Array): string {
  return URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
}

/**
 * The studio's session: the connection to the main side, the references on offer and the one
 * that is open. Opening a reference starts a new attempt at it.
 *
 * Opening from a file (Ctrl+O's file dialog, drag and drop, the recent list) arrives with the
 * reference import API: it adds to `references` (source 'library') and calls openReference(id).
 */
export const useStudioStore = defineStore('studio', () => {
  const api = shallowRef<StudioApi | null>(null)
  const info = ref<AppInfo | null>(null)
  const references = ref<ReferenceSummary[]>([])
  const referenceId = ref<string | null>(null)
  const referenceUrl = ref<string | null>(null)
  /** Small previews for the gallery, by reference id (object URLs of the fitted PNGs). */
  const previews = ref<Record<string, string>>({})
  const error = ref<string | null>(null)

  function requireApi(): StudioApi {
    if (!api.value) throw new Error('the studio store was used before connect()')
    return api.value
  }

  async function connect(studioApi: StudioApi): Promise<void> {
    api.value = markRaw(studioApi)
    useDrawingStore().connect(studioApi)
    try {
      info.value = await studioApi.appInfo()
      references.value = await studioApi.listReferences()
      const first = references.value[0]
      if (first) await openReference(first.id)
      else error.value = 'no references are available: the bundled drawings are missing from this installation'
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function openReference(id: string): Promise<void> {
    try {
      const image = await requireApi().getReferenceImage({ id })
      const url = pngUrl(image.png)
      if (referenceUrl.value) URL.revokeObjectURL(referenceUrl.value)
      referenceUrl.value = url
      referenceId.value = id
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
      return
    }
    await useDrawingStore().startAttempt(id)
  }

  /** Load the gallery's previews once each (the bundled set is small). */
  async function loadPreviews(): Promise<void> {
    for (const r of references.value) {
      if (previews.value[r.id]) continue
      try {
        const image = await requireApi().getReferenceImage({ id: r.id })
        previews.value = { ...previews.value, [r.id]: pngUrl(image.png) }
      } catch (err) {
        error.value = (err as Error).message
      }
    }
  }

  return { info, references, referenceId, referenceUrl, previews, error, connect, openReference, loadPreviews }
})
