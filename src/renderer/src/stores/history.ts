import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type {
  AttemptDetails,
  AttemptJournal,
  AttemptSummary,
  ExportFormat,
  HistoryApi,
  HistoryBackup,
  HistoryReference,
  HistoryStatus,
  ProgressSeries
} from '#shared/contract/history.ts'
import type { NamedFile } from '#shared/contract/files.ts'
import { mergePage, newestFirst, nextPageIndex } from '../features/history/day-groups.ts'
import { formatDateTime, localTimeZone } from '../features/history/format.ts'
import { bytesToBase64 } from '#shared/base64.ts'

export const PAGE_SIZE = 24

/** Object URLs of PNG bytes (the details' drawing and heatmap), revoked together. */
class PngUrls {
  readonly #urls = new Map<string, string>()
  get(key: string, png: Uint8Array | null): string | null {
    if (!png) return null
    let url = this.#urls.get(key)
    if (!url) {
      url = URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
      this.#urls.set(key, url)
    }
    return url
  }
  revokeAll(): void {
    for (const url of this.#urls.values()) URL.revokeObjectURL(url)
    this.#urls.clear()
  }
}

/**
 * A thumbnail as a data: URL (the CSP allows them for images). For a page of small thumbnails
 * this is much cheaper than a Blob and an object URL each, which the browser registers one by one.
 */
function thumbnailUrl(png: Uint8Array | null): string | null {
  return png ? `data:image/png;base64,${bytesToBase64(png)}` : null
}

export interface ListedAttempt extends AttemptSummary {
  /** The thumbnail (a data: URL), or null when the attempt has none. */
  thumbUrl: string | null
}

export interface OpenDetails {
  details: AttemptDetails
  drawingUrl: string | null
  heatmapUrl: string | null
}

/** What the "Attempt deleted. Undo" toast needs to put the attempt back where it was. */
export interface DeletedAttempt {
  attempt: ListedAttempt
}

/**
 * The history panel's state: the history's status (said once at start-up when it was recovered or
 * is unavailable), the references with attempts, the attempts loaded so far (newest first, page by
 * page, optionally of one reference), the progress series of the chosen reference, the attempt
 * whose details are open, and the last deletion (undoable).
 */
export const useHistoryStore = defineStore('history', () => {
  let api: HistoryApi | null = null
  const status = shallowRef<HistoryStatus | null>(null)
  const statusDismissed = ref(false)
  const references = shallowRef<HistoryReference[]>([])
  /** Show the attempts of this reference only; null for all. */
  const filter = ref<string | null>(null)
  const items = shallowRef<ListedAttempt[]>([])
  const total = ref(0)
  /**
   * Attempts per page: more than the panel shows at once (about 15 at 1280 x 800), and half the
   * contract's default, which halves what the first opening waits for (thumbnails included).
   */
  const pageSize = ref(PAGE_SIZE)
  const loading = ref(false)
  /** Why the list (or a request from the panel) failed, in the main side's words. */
  const error = ref<string | null>(null)
  const progress = shallowRef<ProgressSeries | null>(null)
  const progressError = ref<string | null>(null)
  const opened = shallowRef<OpenDetails | null>(null)
  const detailsLoading = ref(false)
  const deleted = shallowRef<DeletedAttempt | null>(null)
  /** Bumped by every list reset, so an answer to an older request is dropped. */
  let generation = 0
  const detailImages = new PngUrls()

  /** What restoring the offered backup came to (or why it failed), said in the notice. */
  const restoreMessage = ref<string | null>(null)
  const restoring = ref(false)

  const hasMore = computed(() => items.value.length < total.value)
  /** A message for the start-up notice, or null: the history was recovered, or cannot be used. */
  const statusMessage = computed(() =>
    statusDismissed.value ? null : (restoreMessage.value ?? describeStatus(status.value))
  )
  /** The backup the notice offers to restore, while it is shown. */
  const offeredBackup = computed<HistoryBackup | null>(() =>
    statusDismissed.value || restoreMessage.value ? null : (status.value?.recovered?.backup ?? null)
  )

  function requireApi(): HistoryApi {
    if (!api) throw new Error('the history store was used before connect()')
    return api
  }

  /** Keep the API and ask once how the history is (drawing never waits for this). */
  async function connect(historyApi: HistoryApi): Promise<void> {
    api = markRaw(historyApi)
    // Resolving the time zone loads the browser's zone data (tens of ms the first time): do it
    // now, while the studio starts, not when the panel opens.
    localTimeZone()
    try {
      status.value = await historyApi.historyStatus()
    } catch (err) {
      status.value = { state: 'unavailable', dataDir: '', problem: (err as Error).message, recovered: null }
    }
  }

  function dismissStatus(): void {
    statusDismissed.value = true
  }

  /** Replace the history with the offered backup (the main side keeps the replaced one aside). */
  async function restoreOfferedBackup(): Promise<void> {
    const backup = offeredBackup.value
    if (!backup || restoring.value) return
    restoring.value = true
    try {
      const done = await requireApi().restoreHistoryBackup({ name: backup.name })
      status.value = done.status
      unload()
      const kept = done.replacedMovedTo ? ` The history it replaced is kept as ${done.replacedMovedTo}.` : ''
      restoreMessage.value = `The history was restored from the backup of ${formatDateTime(done.restored.at, localTimeZone())} (${done.restored.attempts} attempts).${kept}`
    } catch (err) {
      restoreMessage.value = `The backup could not be restored: ${(err as Error).message}`
    } finally {
      restoring.value = false
    }
  }

  const listed = (a: AttemptSummary): ListedAttempt => ({ ...a, thumbUrl: thumbnailUrl(a.thumbnailPng) })

  /** Open the panel: the references and the first page again (the history may have grown). */
  async function load(): Promise<void> {
    error.value = null
    // The list first: the host answers in order, and the first page is what the panel waits for.
    await Promise.all([reloadList(), loadReferences()])
  }

  async function loadReferences(): Promise<void> {
    try {
      references.value = await requireApi().historyReferences()
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function reloadList(): Promise<void> {
    const mine = ++generation
    loading.value = true
    const referenceId = filter.value ?? undefined
    try {
      const page = await requireApi().listAttempts({ referenceId, page: 0, pageSize: pageSize.value })
      if (mine !== generation) return
      items.value = page.items.map(listed)
      total.value = page.total
    } catch (err) {
      if (mine === generation) error.value = (err as Error).message
    } finally {
      if (mine === generation) loading.value = false
    }
    // The chart after the list (the list is what the panel waits for).
    if (referenceId && mine === generation) {
      const series = await loadProgress(referenceId)
      if (mine === generation) progress.value = series
    }
  }

  async function loadProgress(referenceId: string): Promise<ProgressSeries | null> {
    progressError.value = null
    try {
      return await requireApi().progressSeries({ referenceId })
    } catch (err) {
      progressError.value = (err as Error).message
      return null
    }
  }

  /** Only one reference's attempts (and its progress chart), or all of them (null). */
  async function setFilter(referenceId: string | null): Promise<void> {
    if (filter.value === referenceId) return
    filter.value = referenceId
    items.value = []
    total.value = 0
    progress.value = null
    await reloadList()
  }

  /** The next page ("show more"). */
  async function showMore(): Promise<void> {
    if (loading.value || !hasMore.value) return
    const mine = generation
    loading.value = true
    error.value = null
    try {
      const page = await requireApi().listAttempts({
        referenceId: filter.value ?? undefined,
        page: nextPageIndex(items.value.length, pageSize.value),
        pageSize: pageSize.value
      })
      if (mine !== generation) return
      items.value = mergePage(items.value, page.items.map(listed))
      total.value = page.total
    } catch (err) {
      if (mine === generation) error.value = (err as Error).message
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function openDetails(attemptId: string): Promise<void> {
    detailsLoading.value = true
    error.value = null
    try {
      const details = await requireApi().attemptDetails({ attemptId })
      detailImages.revokeAll()
      opened.value = {
        details,
        drawingUrl: detailImages.get('drawing', details.drawingPng),
        heatmapUrl: detailImages.get('heatmap', details.heatmapPng)
      }
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      detailsLoading.value = false
    }
  }

  function closeDetails(): void {
    opened.value = null
    detailImages.revokeAll()
  }

  function loadJournal(attemptId: string): Promise<AttemptJournal> {
    return requireApi().attemptJournal({ attemptId })
  }

  /** Soft delete: gone from the list, charts and exports, until undone. */
  async function deleteAttempt(attemptId: string): Promise<boolean> {
    error.value = null
    const attempt =
      items.value.find((a) => a.attemptId === attemptId) ??
      (opened.value?.details.attempt.attemptId === attemptId ? listed(opened.value.details.attempt) : null)
    try {
      await requireApi().deleteAttempt({ attemptId })
    } catch (err) {
      error.value = (err as Error).message
      return false
    }
    if (opened.value?.details.attempt.attemptId === attemptId) closeDetails()
    const had = items.value.some((a) => a.attemptId === attemptId)
    items.value = items.value.filter((a) => a.attemptId !== attemptId)
    if (had) total.value = Math.max(0, total.value - 1)
    if (attempt) deleted.value = { attempt }
    await refreshAround(attempt?.referenceId ?? null)
    return true
  }

  /** Undo the last delete: the attempt is back, in its place in the list. */
  async function undoDelete(): Promise<boolean> {
    const last = deleted.value
    if (!last) return false
    error.value = null
    try {
      await requireApi().restoreAttempt({ attemptId: last.attempt.attemptId })
    } catch (err) {
      error.value = (err as Error).message
      return false
    }
    deleted.value = null
    const { attempt } = last
    const belongs = filter.value === null || filter.value === attempt.referenceId
    // Back in its place if that is within what is loaded; otherwise a later page brings it.
    if (belongs && !items.value.some((a) => a.attemptId === attempt.attemptId)) {
      const tail = items.value[items.value.length - 1]
      const allLoaded = items.value.length >= total.value
      total.value++
      if (allLoaded || (tail !== undefined && newestFirst(attempt, tail) < 0))
        items.value = [...items.value, attempt].sort(newestFirst)
    }
    await refreshAround(attempt.referenceId)
    return true
  }

  function forgetDeleted(): void {
    deleted.value = null
  }

  /** The reference counts and the chart after a delete or restore. */
  async function refreshAround(referenceId: string | null): Promise<void> {
    await loadReferences()
    if (filter.value && filter.value === referenceId) progress.value = await loadProgress(filter.value)
  }

  /**
   * Leave an attempt out of progress charts and personal bests (or count it again); it stays in the
   * list. The error message, or null.
   */
  async function setDiscarded(attemptId: string, discarded: boolean): Promise<string | null> {
    try {
      await requireApi().setAttemptDiscarded({ attemptId, discarded })
    } catch (err) {
      return (err as Error).message
    }
    const change = <T extends AttemptSummary>(a: T): T => (a.attemptId === attemptId ? { ...a, discarded } : a)
    items.value = items.value.map(change)
    if (opened.value?.details.attempt.attemptId === attemptId)
      opened.value = {
        ...opened.value,
        details: { ...opened.value.details, attempt: change(opened.value.details.attempt) }
      }
    const referenceId =
      opened.value?.details.attempt.referenceId ?? items.value.find((a) => a.attemptId === attemptId)?.referenceId
    if (api) await refreshAround(referenceId ?? null)
    return null
  }

  /** Each reference's personal best (top-5 error, discarded attempts left out), for the gallery. */
  async function bestScores(): Promise<Record<string, number>> {
    const out: Record<string, number> = {}
    for (const r of await requireApi().historyReferences())
      if (r.bestTop5Error !== null) out[r.referenceId] = r.bestTop5Error
    return out
  }

  /** The history (of the chosen reference, or all of it) as a CSV or JSON file. */
  function exportHistory(format: ExportFormat): Promise<NamedFile> {
    return requireApi().exportHistory({ format, referenceId: filter.value ?? undefined })
  }

  /** The panel closed: drop what it loaded (the next opening asks again). */
  function unload(): void {
    generation++
    closeDetails()
    items.value = []
    total.value = 0
    progress.value = null
    loading.value = false
    deleted.value = null
    error.value = null
  }

  return {
    status,
    offeredBackup,
    restoring,
    restoreOfferedBackup,
    statusMessage,
    references,
    filter,
    items,
    total,
    pageSize,
    loading,
    error,
    progress,
    progressError,
    opened,
    detailsLoading,
    deleted,
    hasMore,
    connect,
    dismissStatus,
    load,
    setFilter,
    showMore,
    openDetails,
    closeDetails,
    loadJournal,
    deleteAttempt,
    undoDelete,
    forgetDeleted,
    setDiscarded,
    bestScores,
    exportHistory,
    unload
  }
})

/** What the start-up notice says about the history, or null when there is nothing to say. */
export function describeStatus(status: HistoryStatus | null): string | null {
  if (!status) return null
  const r = status.recovered
  const offer = r?.backup ? ` A backup of ${formatDateTime(r.backup.at, localTimeZone())} can be restored.` : ''
  const recovered = !r
    ? null
    : r.kind === 'set-aside'
      ? `The history file was damaged (${r.reason}) and was set aside as ${r.movedTo}; a new, empty history was started.${offer}`
      : `The history is missing recent changes: ${r.reason}.${r.movedTo ? ` What was found is kept as ${r.movedTo}.` : ''}${offer}`
  if (status.state === 'unavailable') {
    return [
      recovered,
      `The history cannot be used: ${status.problem}. You can draw as usual, but attempts are not kept in the history.`
    ]
      .filter(Boolean)
      .join(' ')
  }
  return recovered
}
