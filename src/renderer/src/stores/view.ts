import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { HeatmapView } from '#shared/contract/attempts.ts'
import { FEEDBACK_MODES, type FeedbackMode } from '#shared/contract/settings.ts'
import type { Layer } from '#shared/edit-history/index.ts'
import { TOOL_SIZES } from '#shared/stroke/tool-sizes.ts'
import type { Tool } from '#shared/stroke/types.ts'
import { useSettingsStore } from './settings.ts'

/**
 * How the report compares the drawing with the reference over the canvas: the error heatmap,
 * hit / extra / missed, the reference ghosted over the drawing (onion skin), one or the other
 * while a key is held (flicker), or a divider between the two (swipe).
 */
export type Comparison = 'heatmap' | 'match' | 'onion' | 'flicker' | 'swipe'

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
  /** Live score, score hidden until Evaluate, or memory drawing (a setting). */
  const feedbackMode = computed<FeedbackMode>({
    get: () => settings.settings.feedback.mode,
    set: (mode) => void settings.update({ feedback: { mode } })
  })
  /**
   * The score hidden for now whatever the mode, not saved: a training session's memory drawing
   * sets it until the session's end (features/training/session-store.ts).
   */
  const blind = ref(false)
  /** The score is shown only when asked for (Evaluate) in every mode but live, and while blind. */
  const scoreHidden = computed(() => blind.value || feedbackMode.value !== 'live')
  const reportOpen = ref(false)
  /** Which errors the heatmap shows: both inks, the drawing's ("where I drew wrong"), the reference's ("what I missed"). */
  const heatmapView = ref<HeatmapView>('combined')
  const comparison = ref<Comparison>('heatmap')
  /** Compare with the reference moved onto the drawing by the alignment (placement, size, turn taken out). */
  const aligned = ref(false)
  /** The onion skin's reference opacity, 0..1. */
  const onionOpacity = ref(0.55)
  /** Where the swipe's divider is, as a share of the canvas width from the left. */
  const swipeAt = ref(0.5)
  /** Flicker: the reference is showing (while its key or button is held). */
  const flickerReference = ref(false)
  const dialog = ref<
    'shortcuts' | 'gallery' | 'ink' | 'history' | 'settings' | 'tablet' | 'session' | 'drills' | 'progress' | null
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

  /** The next feedback mode: live, then score hidden, then memory drawing, then live again. */
  function cycleFeedbackMode(): void {
    feedbackMode.value = FEEDBACK_MODES[(FEEDBACK_MODES.indexOf(feedbackMode.value) + 1) % FEEDBACK_MODES.length]
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
    feedbackMode,
    blind,
    scoreHidden,
    reportOpen,
    heatmapView,
    comparison,
    aligned,
    onionOpacity,
    swipeAt,
    flickerReference,
    dialog,
    stepSize,
    setSize,
    choose,
    cycleFeedbackMode
  }
})
