// What the report's comparison view needs from the main side while the report is open: the full
// evaluation (placement, size, turn apart from shape) and the picture the chosen comparison lays
// over the canvas, each fetched again when the scored drawing or the choice changes; the answer
// to an older request is dropped.
import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue'
import type { HeatmapView, OverlayLayer, OverlayPicture } from '#shared/contract/attempts.ts'
import type { EmptyEvaluation, FullEvaluation } from '#shared/contract/scores.ts'
import type { History } from '#shared/edit-history/index.ts'
import type { Comparison } from '#renderer/stores/view.ts'

export interface LoadedOverlay {
  url: string
  picture: OverlayPicture
  /** The drawing the picture is of (ink drawn since shows on top of it). */
  history: History | null
}

/** The picture each comparison lays over the canvas. */
export function layerFor(comparison: Comparison): OverlayLayer {
  return comparison === 'heatmap' ? 'heatmap' : comparison === 'match' ? 'match' : 'reference'
}

export interface ComparisonSources {
  /** The report is open and there is a scored drawing. */
  wanted: WatchSource<boolean>
  /** The history the latest score is of. */
  version: WatchSource<History | null>
  comparison: Ref<Comparison>
  view: Ref<HeatmapView>
  aligned: Ref<boolean>
  loadEvaluation: () => Promise<FullEvaluation | EmptyEvaluation>
  loadOverlay: (
    layer: OverlayLayer,
    view: HeatmapView,
    aligned: boolean,
    scale: 1 | 2
  ) => Promise<OverlayPicture | null>
}

export function useComparison(sources: ComparisonSources): {
  full: Ref<FullEvaluation | null>
  /** Why the full evaluation could not be had, if it could not. */
  fullFailed: Ref<string | null>
  picture: Ref<LoadedOverlay | null>
  failed: Ref<string | null>
} {
  const full = shallowRef<FullEvaluation | null>(null)
  const fullFailed = ref<string | null>(null)
  const picture = shallowRef<LoadedOverlay | null>(null)
  const failed = ref<string | null>(null)
  let evaluationRequest = 0
  let pictureRequest = 0

  function show(next: LoadedOverlay | null): void {
    if (picture.value) URL.revokeObjectURL(picture.value.url)
    picture.value = next
  }

  watch(
    [sources.wanted, sources.version],
    async ([wanted]) => {
      const mine = ++evaluationRequest
      if (!wanted) {
        full.value = null
        fullFailed.value = null
        return
      }
      try {
        const e = await sources.loadEvaluation()
        if (mine !== evaluationRequest) return
        full.value = e.status === 'scored' ? e : null
        fullFailed.value = null
      } catch (err) {
        // The report still has the per-stroke figures; it says why the rest is missing.
        if (mine !== evaluationRequest) return
        full.value = null
        fullFailed.value = err instanceof Error ? err.message : String(err)
      }
    },
    { immediate: true }
  )

  watch(
    [sources.wanted, sources.version, () => layerFor(sources.comparison.value), sources.view, sources.aligned],
    async ([wanted, version, layer, view, aligned]) => {
      const mine = ++pictureRequest
      if (!wanted) {
        show(null)
        failed.value = null
        return
      }
      // A sharper picture on HiDPI screens.
      const scale = (window.devicePixelRatio || 1) >= 1.5 ? 2 : 1
      try {
        const p = await sources.loadOverlay(layer, view, aligned, scale)
        if (mine !== pictureRequest) return
        failed.value = null
        show(
          p
            ? {
                url: URL.createObjectURL(new Blob([p.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })),
                picture: p,
                history: version
              }
            : null
        )
      } catch (err) {
        if (mine !== pictureRequest) return
        show(null)
        failed.value = err instanceof Error ? err.message : String(err)
      }
    },
    { immediate: true }
  )
  onBeforeUnmount(() => show(null))
  return { full, fullFailed, picture, failed }
}
