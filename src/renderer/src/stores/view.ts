import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { HeatmapView } from '#shared/contract/attempts.ts'
import type { Layer } from '#shared/edit-history/index.ts'
import { TOOL_SIZES } from '#shared/stroke/tool-sizes.ts'
import type { Tool } from '#shared/stroke/types.ts'
import { useSettingsStore } from './settings.ts'

/** How the studio is set up to draw and to look: tools, aids, which panels are open. */
export const useViewStore = defineStore('view', () => {
  const settings = useSettingsStore()
  const tool = ref<Tool>('pen')
  /** The layer the pen draws on: the scored drawing, or construction lines (the construction pen). */
  const layer = ref<Layer>('drawing')
  const showConstruction = ref(true)
  /** Each tool's size, remembered in the settings (the construction pen uses the pen's). */
  const sizes = computed(() => settings.settings.toolSizes)
  const pen = computed(() => settings.settings.pen)
  const grid = ref(false)
  const flipped = ref(false)
  const blind = ref(false)
  const reportOpen = ref(false)
  /** Which errors the heatmap shows: both inks, the drawing's ("where I drew wrong"), the reference's ("what I missed"). */
  const heatmapView = ref<HeatmapView>('combined')
  const dialog = ref<'shortcuts' | 'gallery' | 'ink' | 'history' | 'settings' | 'tablet' | null>(null)

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

  /** Pick a tool: the pen, the construction pen (the pen on the construction layer), or the eraser. */
  function choose(next: 'pen' | 'construction' | 'eraser'): void {
    tool.value = next === 'eraser' ? 'eraser' : 'pen'
    if (next !== 'eraser') layer.value = next === 'construction' ? 'construction' : 'drawing'
    // Drawing construction lines while they are hidden would draw blind.
    if (next === 'construction') showConstruction.value = true
  }

  return {
    tool,
    layer,
    showConstruction,
    sizes,
    pen,
    grid,
    flipped,
    blind,
    reportOpen,
    heatmapView,
    dialog,
    stepSize,
    setSize,
    choose
  }
})
