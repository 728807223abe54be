// The feedback on the stroke just drawn, shown briefly at pen-up: each new score is compared with
// the one before (stroke-feedback.ts). Off when the setting is off or the score is hidden.
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue'
import type { Evaluation } from '#shared/contract/scores.ts'
import type { History } from '#shared/edit-history/index.ts'
import { strokeFeedback, type ScoredState, type StrokeFeedback } from './stroke-feedback.ts'

/** How long the tint and the change stay on the canvas. */
export const STROKE_FEEDBACK_MS = 1600

export interface ShownStrokeFeedback extends StrokeFeedback {
  /** Increases with each one shown (a key that restarts the fade). */
  serial: number
}

export function useStrokeFeedback(
  evaluation: Ref<Evaluation | null>,
  scoredHistory: Ref<History | null>,
  enabled: Ref<boolean>
): Ref<ShownStrokeFeedback | null> {
  const shown = shallowRef<ShownStrokeFeedback | null>(null)
  let previous: ScoredState | null = null
  let serial = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  watch(scoredHistory, (history) => {
    const e = evaluation.value
    const now: ScoredState | null = e && history ? { evaluation: e, history } : null
    const feedback = enabled.value && previous && now ? strokeFeedback(previous, now) : null
    previous = now
    if (timer) clearTimeout(timer)
    // Anything else (an undo, an eraser stroke) ends what was said about the stroke before.
    if (!feedback) {
      shown.value = null
      return
    }
    shown.value = { ...feedback, serial: ++serial }
    timer = setTimeout(() => (shown.value = null), STROKE_FEEDBACK_MS)
  })
  watch(enabled, (on) => {
    if (!on) shown.value = null
  })
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer)
  })
  return shown
}
