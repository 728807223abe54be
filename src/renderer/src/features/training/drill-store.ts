import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, watch } from 'vue'
import type { StudioApi } from '#shared/contract/api.ts'
import type { DrillInfo } from '#shared/contract/training.ts'
import { isDrillId, type DrillKind, type DrillMeasure } from '#shared/drills/index.ts'
import { useDrawingStore } from '#renderer/stores/drawing.ts'
import { useReferencesStore } from '#renderer/stores/references.ts'

/**
 * Drills in the studio: which drill is on show (its prompt and the guide under the canvas), a new
 * one of a kind or of the kind the adaptive pick favours, and the drill's own figures for the
 * drawing as it stands (kept for trends on the main side).
 */
export const useDrillStore = defineStore('training-drills', () => {
  const info = shallowRef<DrillInfo | null>(null)
  const figures = shallowRef<DrillMeasure | null>(null)
  const error = ref<string | null>(null)
  let api: StudioApi | null = null

  function connect(studioApi: StudioApi): void {
    api = markRaw(studioApi)
    // Whenever the reference changes, the drill's prompt and guide follow (or go).
    watch(
      () => useReferencesStore().referenceId,
      async (id) => {
        figures.value = null
        if (!id || !isDrillId(id)) {
          info.value = null
          return
        }
        try {
          info.value = await studioApi.drillInfo({ referenceId: id })
        } catch (err) {
          info.value = null
          error.value = (err as Error).message
        }
      },
      { immediate: true }
    )
  }

  /** Keep the figures of the drill drawn so far (before moving on), then open a new drill. */
  async function newDrill(kind: DrillKind | 'adaptive'): Promise<void> {
    if (!api) return
    error.value = null
    try {
      await measure()
      const next = await api.newDrill({ kind })
      await useReferencesStore().openReference(next.referenceId)
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  /** The drill's own figures for the drawing as it stands (null: not a drill, or nothing drawn). */
  async function measure(): Promise<DrillMeasure | null> {
    const a = api
    if (!a || !info.value || useDrawingStore().strokes === 0) return null
    const attemptId = await useDrawingStore().settledAttemptId()
    if (!attemptId) return null
    try {
      figures.value = await a.drillFigures({ attemptId })
    } catch (err) {
      error.value = (err as Error).message
    }
    return figures.value
  }

  return { info, figures, error, connect, newDrill, measure }
})
