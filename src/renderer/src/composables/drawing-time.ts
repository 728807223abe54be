import { computed, onBeforeUnmount, ref, watch, type ComputedRef } from 'vue'
import { storeToRefs } from 'pinia'
import { isRunning } from '../drawing/clock.ts'
import { useDrawingStore } from '../stores/drawing.ts'

/**
 * The attempt's drawing time as every view shows it (status bar, report, history): one clock,
 * read at a `now` that ticks four times a second only while the clock runs.
 */
export function useDrawingTime(): ComputedRef<number> {
  const drawing = useDrawingStore()
  const { clock } = storeToRefs(drawing)
  const now = ref(performance.now())
  let timer: ReturnType<typeof setInterval> | null = null
  watch(
    () => isRunning(clock.value),
    (running) => {
      now.value = performance.now()
      if (running && !timer) timer = setInterval(() => (now.value = performance.now()), 250)
      if (!running && timer) {
        clearInterval(timer)
        timer = null
      }
    },
    { immediate: true }
  )
  // A pause or hold changes the clock without changing whether it runs the next tick: read it again.
  watch(clock, () => (now.value = performance.now()))
  onBeforeUnmount(() => {
    if (timer) clearInterval(timer)
  })
  return computed(() => drawing.elapsed(now.value))
}
