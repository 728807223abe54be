import { computed, onBeforeUnmount, onMounted, ref, type ComputedRef, type Ref } from 'vue'
import { studioLayout, type Size, type StudioLayout } from './studio-layout.ts'

/**
 * The studio's layout for the element `workspace` as it is sized now: follows every resize
 * (window, zoom, a panel opening), the frame and the report.
 */
export function useStudioLayout(
  workspace: Ref<HTMLElement | null>,
  frame: () => Size,
  reportOpen: () => boolean
): { size: Ref<Size>; layout: ComputedRef<StudioLayout> } {
  const size = ref<Size>({ width: 0, height: 0 })
  let observer: ResizeObserver | null = null
  onMounted(() => {
    const el = workspace.value
    if (!el) return
    size.value = { width: el.clientWidth, height: el.clientHeight }
    observer = new ResizeObserver(([entry]) => {
      if (!entry) return
      const { width, height } = entry.contentRect
      size.value = { width: Math.floor(width), height: Math.floor(height) }
    })
    observer.observe(el)
  })
  onBeforeUnmount(() => observer?.disconnect())
  const layout = computed(() => studioLayout(size.value, frame(), reportOpen()))
  return { size, layout }
}
