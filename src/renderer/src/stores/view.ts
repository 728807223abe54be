import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { HeatmapView } from '#shared/contract/attempts.ts'
import { TOOL_SIZES } from '#shared/stroke/tool-sizes.ts'
import type { Tool } from '#shared/stroke/types.ts'
import { useSettingsStore } from './settings.ts'

/** How the studio is set up to draw and to look: tools, aids, which panels are open. */
export const useViewStore = defineStore('view', () => {
  const settings = useSettingsStore()
  const tool = ref<Tool>('pen')
  /** Each tool's size, remembered in the settings. */
  const sizes = computed(() => settings.settings.toolSizes)
  const grid = ref(false)
  const flipped = ref(false)
  const blind = ref(false)
  const reportOpen = ref(false)
  /** Which errors the heatmap shows: both inks, the drawing's ("where I drew wrong"), the reference's ("what I missed"). */
  const heatmapView = ref<HeatmapView>('combined')
  const dialog = ref<
    'shortcuts' | 'gallery' | 'ink' | 'history' | 'settings' | 'session' | 'drills' | 'progress' | null
  >(null)

  /** One step through the tool's sizes. */
  function stepSize(direction: 1 | -1): void {
    const options = TOOL_SIZES[tool.value]
    const current = sizes.value[tool.value]
    let i = options.findIndex((s) => s >= current)
    if (i < 0) i = options.length - 1
    const next =
      options[
        Math.min(options.length - 1, Math.max(0, options[i] === current ? i + direction : direction > 0 ? i : i - 1))
      ]
    setSize(tool.value, next)
  }

  function setSize(t: Tool, size: number): void {
    if (sizes.value[t] !== size) void settings.update({ toolSizes: { [t]: size } })
  }

  return { tool, sizes, grid, flipped, blind, reportOpen, heatmapView, dialog, stepSize, setSize }
})
