import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import type { HeatmapPicture, HeatmapView } from '#shared/contract/attempts.ts'

export interface LoadedPicture {
  url: string
  picture: HeatmapPicture
}

/**
 * The main side's heatmap picture while it is wanted: fetched when `wanted` turns true and again
 * whenever `version` (the scored drawing) or the view changes; the answer to an older request is
 * dropped. `failed` says why there is none when the main side could not make it.
 */
export function useHeatmapPicture(options: {
  wanted: WatchSource<boolean>
  version: WatchSource<unknown>
  view: Ref<HeatmapView>
  load: (view: HeatmapView, scale: 1 | 2) => Promise<HeatmapPicture | null>
}): { picture: Ref<LoadedPicture | null>; failed: Ref<string | null> } {
  const picture = shallowRef<LoadedPicture | null>(null)
  const failed = ref<string | null>(null)
  let request = 0

  function show(next: LoadedPicture | null): void {
    if (picture.value) URL.revokeObjectURL(picture.value.url)
    picture.value = next
  }

  watch(
    [options.wanted, options.version, options.view],
    async ([wanted]) => {
      const mine = ++request
      if (!wanted) {
        show(null)
        failed.value = null
        return
      }
      // A sharper picture on HiDPI screens.
      const scale = (window.devicePixelRatio || 1) >= 1.5 ? 2 : 1
      try {
        const p = await options.load(options.view.value, scale)
        if (mine !== request) return
        failed.value = null
        show(
          p
            ? {
                url: URL.createObjectURL(new Blob([p.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })),
                picture: p
              }
            : null
        )
      } catch (err) {
        if (mine !== request) return
        show(null)
        failed.value = err instanceof Error ? err.message : String(err)
      }
    },
    { immediate: true }
  )
  onBeforeUnmount(() => show(null))
  return { picture, failed }
}
