import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { HeatmapView } from '#shared/contract/attempts.ts'
import type { Tool } from '#shared/stroke/types.ts'

/** Tool sizes on offer, in frame pixels (the frame is 500 px wide by default). */
export const SIZES: Record<Tool, readonly number[]> = {
  pen: [1, 1.5, 2, 3, 4, 6, 8, 12],
  eraser: [6, 10, 16, 24, 36, 54]
}

/** How the studio is set up to draw and to look: tools, aids, which panels are open. */
export const useViewStore = defineStore('view', () => {
  const tool = ref<Tool>('pen')
  const sizes = ref<Record<Tool, number>>({ pen: 3, eraser: 16 })
  const grid = ref(false)
  const flipped = ref(false)
  const blind = ref(false)
  const reportOpen = ref(false)
  /** Which errors the heatmap shows: both inks, the drawing's ("where I drew wrong"), the reference's ("what I missed"). */
  const heatmapView = ref<HeatmapView>('combined')
  const dialog = ref<'shortcuts' | 'gallery' | 'ink' | 'history' | null>(null)

  /** One step through the tool's sizes. */
  function stepSize(direction: 1 | -1): void {
    const options = SIZES[tool.value]
    const current = sizes.value[tool.value]
    let i = options.findIndex((s) => s >= current)
    if (i < 0) i = options.length - 1
    const next =
      options[
        Math.min(options.length - 1, Math.max(0, options[i] === current ? i + direction : direction > 0 ? i : i - 1))
      ]
    sizes.value = { ...sizes.value, [tool.value]: next }
  }

  function setSize(t: Tool, size: number): void {
    sizes.value = { ...sizes.value, [t]: size }
  }

  return { tool, sizes, grid, flipped, blind, reportOpen, heatmapView, dialog, stepSize, setSize }
})
