import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { AppInfo, ReferenceSummary, StudioApi } from '../../../shared/api.ts'

/** The studio's session state: which reference is open and what the main side told us. */
export const useStudioStore = defineStore('studio', () => {
  const api = shallowRef<StudioApi | null>(null)
  const info = ref<AppInfo | null>(null)
  const references = ref<ReferenceSummary[]>([])
  const referenceId = ref<string | null>(null)
  const referenceUrl = ref<string | null>(null)
  const error = ref<string | null>(null)

  function requireApi(): StudioApi {
    if (!api.value) throw new Error('the studio store was used before connect()')
    return api.value
  }

  async function connect(studioApi: StudioApi): Promise<void> {
    api.value = markRaw(studioApi)
    try {
      info.value = await studioApi.appInfo()
      references.value = await studioApi.listReferences()
      const first = references.value[0]
      if (first) await openReference(first.id)
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function openReference(id: string): Promise<void> {
    try {
      const image = await requireApi().getReferenceImage({ id })
      const url = URL.createObjectURL(new Blob([image.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
      if (referenceUrl.value) URL.revokeObjectURL(referenceUrl.value)
      referenceUrl.value = url
      referenceId.value = id
      error.value = null
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  return { info, references, referenceId, referenceUrl, error, connect, openReference }
})
