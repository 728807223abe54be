// Memory drawing: the reference is shown for the chosen number of seconds, then hidden until the
// drawing is evaluated. Each new attempt (and choosing the mode) starts the look again.
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue'
import type { FeedbackMode } from '#shared/contract/settings.ts'

export type MemoryPhase = 'looking' | 'hidden' | 'revealed'

export function useMemoryDrawing(
  mode: Ref<FeedbackMode>,
  seconds: Ref<number>,
  now: () => number = () => performance.now()
): {
  /** The reference is hidden from view. */
  referenceHidden: Ref<boolean>
  /** Whole seconds of looking left while the reference is shown; null otherwise. */
  secondsLeft: Ref<number | null>
  phase: Ref<MemoryPhase>
  /** A new attempt: look again. */
  restart(): void
  /** The drawing was evaluated: show the reference. */
  reveal(): void
} {
  const phase = ref<MemoryPhase>('revealed')
  const left = ref(0)
  let until = 0
  let timer: ReturnType<typeof setInterval> | null = null

  function stop(): void {
    if (timer) clearInterval(timer)
    timer = null
  }
  function tick(): void {
    const ms = until - now()
    left.value = Math.max(0, Math.ceil(ms / 1000))
    if (ms <= 0) {
      stop()
      phase.value = 'hidden'
    }
  }
  function restart(): void {
    stop()
    if (mode.value !== 'memory') {
      phase.value = 'revealed'
      return
    }
    phase.value = 'looking'
    until = now() + seconds.value * 1000
    tick()
    timer = setInterval(tick, 200)
  }
  function reveal(): void {
    stop()
    phase.value = 'revealed'
  }

  watch(mode, () => restart(), { immediate: true })
  onBeforeUnmount(stop)
  return {
    referenceHidden: computed(() => mode.value === 'memory' && phase.value === 'hidden'),
    secondsLeft: computed(() => (mode.value === 'memory' && phase.value === 'looking' ? left.value : null)),
    phase,
    restart,
    reveal
  }
}
