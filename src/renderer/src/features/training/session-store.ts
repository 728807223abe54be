import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { StudioApi } from '#shared/contract/api.ts'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import type { TrainingSession } from '#shared/contract/training.ts'
import { isDrillId } from '#shared/drills/ids.ts'
import { useDrawingStore } from '#renderer/stores/drawing.ts'
import { useReferencesStore } from '#renderer/stores/references.ts'
import { useSettingsStore } from '#renderer/stores/settings.ts'
import { useViewStore } from '#renderer/stores/view.ts'
import { countdown, extend, pause, remaining, resume, type Countdown } from './session-clock.ts'

export type SessionPhase = 'idle' | 'study' | 'drawing' | 'review'

export interface ReviewItem {
  position: number
  referenceId: string
  referenceName: string
  referenceUrl: string | null
  drawingUrl: string | null
  top5Error: number | null
  /** A drill's own headline figure, formatted. */
  drillFigure: string | null
}

const pngUrl = (png: Uint8Array): string =>
  URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
const UNIT = { px: ' px', deg: '°', pct: ' %', count: '' } as const

/**
 * A training session as the studio runs it: each drawing in turn with its countdown (pause,
 * extend, next), memory mode's study time with the reference shown then hidden, every drawing
 * recorded in the session on the main side, and the review grid at the end. The clock runs at
 * the settings' session time scale (1 = real time).
 */
export const useSessionStore = defineStore('training-session', () => {
  const session = shallowRef<TrainingSession | null>(null)
  const phase = ref<SessionPhase>('idle')
  const index = ref(0)
  const clock = shallowRef<Countdown | null>(null)
  const now = ref(performance.now())
  const review = ref<ReviewItem[] | null>(null)
  const error = ref<string | null>(null)
  const busy = ref(false)
  let api: StudioApi | null = null
  let ticker: ReturnType<typeof setInterval> | null = null
  /** The blind setting before a memory drawing hid the live score. */
  let blindBefore: boolean | null = null

  const active = computed(() => phase.value === 'study' || phase.value === 'drawing')
  const paused = computed(() => active.value && clock.value?.runningSince === null)
  const remainingMs = computed(() => (clock.value ? remaining(clock.value, now.value) : 0))
  const current = computed(() => session.value?.drawings[index.value] ?? null)
  /** No drawing while studying, paused, or between drawings. */
  const locked = computed(() => active.value && (phase.value === 'study' || paused.value || busy.value))
  const hideReference = computed(() => phase.value === 'drawing' && session.value?.plan.mode === 'memory')

  function connect(studioApi: StudioApi): void {
    api = markRaw(studioApi)
  }
  function requireApi(): StudioApi {
    if (!api) throw new Error('the session store was used before connect()')
    return api
  }

  const scale = (): number => useSettingsStore().settings.training.sessionTimeScale

  function tick(): void {
    now.value = performance.now()
    if (!clock.value || !active.value || busy.value) return
    if (remaining(clock.value, now.value) > 0) return
    if (phase.value === 'study') beginDrawing()
    else void next()
  }
  function startTicker(): void {
    ticker ??= setInterval(tick, 50)
  }
  function stopTicker(): void {
    if (ticker) clearInterval(ticker)
    ticker = null
  }

  async function start(plan: SessionPlan): Promise<void> {
    error.value = null
    busy.value = true
    try {
      review.value = null
      session.value = await requireApi().startSession({ plan })
      index.value = 0
      await open(0)
      startTicker()
    } catch (err) {
      error.value = `Could not start the session: ${(err as Error).message}`
      phase.value = 'idle'
    } finally {
      busy.value = false
    }
  }

  /** Open drawing k: its reference, a new attempt; study first in memory mode. */
  async function open(k: number): Promise<void> {
    const s = session.value!
    const d = s.drawings[k]
    // Its number shows once its reference and attempt are ready (the canvas is locked till then).
    await useReferencesStore().openReference(d.referenceId)
    index.value = k
    const t = performance.now()
    now.value = t
    if (s.plan.mode === 'memory') {
      phase.value = 'study'
      clock.value = countdown(s.plan.studySeconds * 1000 * scale(), t)
    } else beginDrawing()
  }

  function beginDrawing(): void {
    const d = current.value
    if (!d || !session.value) return
    phase.value = 'drawing'
    const t = performance.now()
    now.value = t
    clock.value = countdown(d.seconds * 1000 * scale(), t)
    if (session.value.plan.mode === 'memory') {
      // The score at the end: the live score stays hidden while drawing from memory.
      const view = useViewStore()
      blindBefore ??= view.blind
      view.blind = true
    }
  }

  function togglePause(): void {
    if (!clock.value || !active.value) return
    const t = performance.now()
    clock.value = clock.value.runningSince === null ? resume(clock.value, t) : pause(clock.value, t)
    now.value = t
  }

  function addTime(seconds: number): void {
    if (clock.value && active.value) clock.value = extend(clock.value, seconds * 1000 * scale())
  }

  /** Keep this drawing in the session (if anything was drawn) and its drill figures. */
  async function keepCurrent(): Promise<void> {
    const s = session.value
    const d = current.value
    const drawing = useDrawingStore()
    if (!s || !d || drawing.strokes === 0) return
    const attemptId = await drawing.settledAttemptId()
    if (!attemptId) return
    if (isDrillId(d.referenceId))
      await requireApi()
        .drillFigures({ attemptId })
        .catch(() => null)
    await requireApi().recordSessionDrawing({ sessionId: s.sessionId, position: d.position, attemptId })
  }

  /** The next drawing (time is up, or asked for), or the review after the last. */
  async function next(): Promise<void> {
    if (!session.value || busy.value) return
    busy.value = true
    try {
      await keepCurrent()
      if (index.value + 1 < session.value.drawings.length) await open(index.value + 1)
      else await finish()
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      busy.value = false
    }
  }

  /** End now: what is drawn so far is kept, and the review shows. */
  async function end(): Promise<void> {
    if (!session.value || busy.value) return
    busy.value = true
    try {
      await keepCurrent()
      await finish()
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      busy.value = false
    }
  }

  async function finish(): Promise<void> {
    stopTicker()
    clock.value = null
    restoreBlind()
    // The last drawing is kept in the history with its final score before the review reads it.
    await useDrawingStore().finishCurrent()
    const s = await requireApi().finishSession({ sessionId: session.value!.sessionId })
    session.value = s
    phase.value = 'review'
    review.value = await reviewItems(s)
  }

  function restoreBlind(): void {
    if (blindBefore !== null) useViewStore().blind = blindBefore
    blindBefore = null
  }

  async function reviewItems(s: TrainingSession): Promise<ReviewItem[]> {
    const a = requireApi()
    const names = new Map(useReferencesStore().references.map((r) => [r.id, r.name]))
    return Promise.all(
      s.drawings.map(async (d): Promise<ReviewItem> => {
        const drill = isDrillId(d.referenceId)
        const [thumb, details, figures, info] = await Promise.all([
          a.getReferenceThumbnail({ id: d.referenceId }).catch(() => null),
          d.attemptId ? a.attemptDetails({ attemptId: d.attemptId }).catch(() => null) : null,
          d.attemptId && drill ? a.drillFigures({ attemptId: d.attemptId }).catch(() => null) : null,
          drill ? a.drillInfo({ referenceId: d.referenceId }).catch(() => null) : null
        ])
        return {
          position: d.position,
          referenceId: d.referenceId,
          referenceName: names.get(d.referenceId) ?? info?.title ?? d.referenceId,
          referenceUrl: thumb ? pngUrl(thumb.png) : null,
          drawingUrl: details?.drawingPng ? pngUrl(details.drawingPng) : null,
          top5Error: d.top5Error,
          drillFigure: figures
            ? `${figures.headline.label}: ${figures.headline.value.toFixed(1)}${UNIT[figures.headline.unit]}`
            : null
        }
      })
    )
  }

  /** Close the review; the studio goes on with a fresh attempt at the reference on show. */
  function close(): void {
    for (const item of review.value ?? []) {
      if (item.referenceUrl) URL.revokeObjectURL(item.referenceUrl)
      if (item.drawingUrl) URL.revokeObjectURL(item.drawingUrl)
    }
    review.value = null
    session.value = null
    phase.value = 'idle'
    const shown = useReferencesStore().referenceId
    if (shown) void useReferencesStore().openReference(shown)
  }

  /** The same plan again. */
  async function repeat(): Promise<void> {
    const plan = session.value?.plan
    close()
    if (plan) await start(plan)
  }

  return {
    session,
    phase,
    index,
    clock,
    now,
    review,
    error,
    busy,
    active,
    paused,
    remainingMs,
    current,
    locked,
    hideReference,
    connect,
    start,
    togglePause,
    addTime,
    next,
    end,
    close,
    repeat,
    tick
  }
})
