import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, watch } from 'vue'
import type { AppInfo, FrameSize, ReferenceSummary, StudioApi } from '#shared/contract/api.ts'
import { frameFor, sameFrame } from '#shared/frame.ts'
import { useSettingsStore } from './settings.ts'
import { MAX_REFERENCE_BYTES, type InkChoice, type InkPreview } from '#shared/contract/references.ts'
import { useDrawingStore } from './drawing.ts'
import { shellBridge } from '#renderer/transport/api.ts'

function pngUrl(png: Uint8Array): string {
  return URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
}

/** About how many pixels the reference picture has along its longest side (a whole multiple of the frame's). */
const DISPLAY_SIDE = 1600

/**
 * The studio's session: the connection to the main side, the references on offer (bundled, the
 * user's library, the recent ones) and the one that is open. Opening a reference starts a new
 * attempt at it; an image file (chosen or dropped) is imported into the library first.
 */
export const useReferencesStore = defineStore('references', () => {
  const api = shallowRef<StudioApi | null>(null)
  const info = ref<AppInfo | null>(null)
  const references = ref<ReferenceSummary[]>([])
  const referenceId = ref<string | null>(null)
  const referenceUrl = ref<string | null>(null)
  /** The frame the reference picture is fitted into (the attempt's). */
  const referenceFrame = shallowRef<FrameSize | null>(null)
  /** Small previews for the gallery, by reference id (object URLs of the fitted PNGs). */
  const previews = ref<Record<string, string>>({})
  const recent = ref<ReferenceSummary[]>([])
  const error = ref<string | null>(null)
  /** Something worth a word in the status bar that is not an error. */
  const notice = ref<string | null>(null)
  /** The file being imported, while it is. */
  const importing = ref<string | null>(null)

  function requireApi(): StudioApi {
    if (!api.value) throw new Error('the studio store was used before connect()')
    return api.value
  }

  async function connect(studioApi: StudioApi): Promise<void> {
    api.value = markRaw(studioApi)
    useDrawingStore().connect(studioApi)
    try {
      info.value = await studioApi.appInfo()
      references.value = await studioApi.listReferences()
      // A drawing left unfinished (the app or host stopped) carries on where it was.
      const unfinished = await studioApi.resumeAttempt().catch((err: Error) => {
        error.value = `the unfinished drawing could not be reopened: ${err.message}`
        return null
      })
      if (unfinished && (await showReference(unfinished.referenceId, unfinished.frame))) {
        useDrawingStore().resumeAttempt(unfinished)
        notice.value = 'Carried on with the drawing left unfinished'
        return
      }
      const first = references.value[0]
      if (first) await openReference(first.id)
      else error.value = 'no references are available: the bundled drawings are missing from this installation'
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  /**
   * Show a reference's picture, fitted into `frame` (an attempt's) or the frame a new attempt at
   * it gets; false (with the error shown) when it cannot be loaded.
   */
  async function showReference(id: string, frame?: FrameSize): Promise<boolean> {
    try {
      const summary = references.value.find((r) => r.id === id)
      const f =
        frame ??
        (summary ? frameFor(summary.width, summary.height, useSettingsStore().settings.frame.longestSide) : null)
      // The picture is only looked at: fetched sharper than the frame (the same fitting at a
      // multiple of it), so a large panel does not show a blurred reference. Scoring uses the frame.
      const k = f ? Math.max(1, Math.floor(DISPLAY_SIDE / Math.max(f.width, f.height))) : 1
      const image = await requireApi().getReferenceImage(
        f ? { id, frame: { width: f.width * k, height: f.height * k } } : { id }
      )
      const url = pngUrl(image.png)
      if (referenceUrl.value) URL.revokeObjectURL(referenceUrl.value)
      referenceUrl.value = url
      referenceFrame.value = f ?? { width: image.width, height: image.height }
      referenceId.value = id
      error.value = null
      notice.value = null
      return true
    } catch (err) {
      error.value = (err as Error).message
      return false
    }
  }

  /** Open a reference: a new attempt at it (the one before is kept in the history, its Undo on offer). */
  async function openReference(id: string): Promise<void> {
    if (await showReference(id)) await useDrawingStore().startAttempt(id, referenceFrame.value ?? undefined)
  }

  /**
   * Carry on drawing a kept attempt (from the history): its reference in its frame, its drawing.
   * The error message, or null.
   */
  async function continueAttempt(kept: {
    attemptId: string
    referenceId: string
    frame: FrameSize
    activeMs: number
  }): Promise<string | null> {
    const drawing = useDrawingStore()
    if (drawing.attemptId === kept.attemptId) return null
    if (!(await showReference(kept.referenceId, kept.frame))) return error.value
    try {
      await drawing.continueAttempt(kept)
      notice.value = 'Carrying on with the attempt from the history'
      return null
    } catch (err) {
      return (err as Error).message
    }
  }

  /** Undo of New or a reference switch: the attempt set aside comes back with its reference. */
  async function bringBack(): Promise<string | null> {
    const drawing = useDrawingStore()
    const aside = drawing.setAside
    if (!aside) return null
    const same =
      aside.referenceId === referenceId.value &&
      referenceFrame.value !== null &&
      sameFrame(aside.frame, referenceFrame.value)
    if (!same && !(await showReference(aside.referenceId, aside.frame))) return error.value
    try {
      await drawing.bringBack()
      return null
    } catch (err) {
      return (err as Error).message
    }
  }

  // The main side has the last word on an attempt's frame: show the picture in the same one.
  watch(
    () => useDrawingStore().frame,
    (frame) => {
      const id = referenceId.value
      if (id && referenceFrame.value && !sameFrame(frame, referenceFrame.value)) void showReference(id, frame)
    }
  )

  /** The lists again (after an import), and the thumbnails not loaded yet. */
  async function refreshReferences(): Promise<void> {
    const a = requireApi()
    try {
      ;[references.value, recent.value] = await Promise.all([a.listReferences(), a.recentReferences()])
    } catch (err) {
      error.value = (err as Error).message
      return
    }
    for (const r of references.value) {
      if (previews.value[r.id]) continue
      try {
        const thumb = await a.getReferenceThumbnail({ id: r.id })
        previews.value = { ...previews.value, [r.id]: pngUrl(thumb.png) }
      } catch {
        // No thumbnail: the card shows the name alone.
      }
    }
  }

  /**
   * Import an image file into the library and open it. Resolves with the error message when the
   * file is refused (nothing is written then), or null when it opened.
   */
  async function importFile(file: File): Promise<string | null> {
    if (file.size > MAX_REFERENCE_BYTES)
      return `${file.name}: the file is ${(file.size / 1e6).toFixed(0)} MB; a reference may be at most ${MAX_REFERENCE_BYTES / 1e6} MB`
    importing.value = file.name
    try {
      // In the desktop app the main side reads the file itself (no copy through the page);
      // the Node host's browser has no path to give, so it uploads the bytes.
      const path = shellBridge().pathForFile(file)
      const summary = path
        ? await requireApi().importReference({ path })
        : await requireApi().importReference({ fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
      await openReference(summary.id)
      await refreshReferences()
      return null
    } catch (err) {
      return (err as Error).message
    } finally {
      importing.value = null
    }
  }

  function previewInk(id: string, ink: InkChoice): Promise<InkPreview> {
    return requireApi().previewInk({ id, ink })
  }

  /**
   * Keep new ink settings on a reference: the reference lines change, so a new attempt starts
   * (the one under way was scored against the old ones). The error message, or null.
   */
  async function applyInk(id: string, ink: InkChoice): Promise<string | null> {
    try {
      const summary = await requireApi().setReferenceInk({ id, ink })
      references.value = references.value.map((r) => (r.id === id ? summary : r))
    } catch (err) {
      return (err as Error).message
    }
    if (id === referenceId.value) {
      // New lines make a new attempt; the one before stays in the history (no Undo: its lines are gone).
      await useDrawingStore().startAttempt(id)
      useDrawingStore().forgetSetAside()
    }
    return null
  }

  return {
    info,
    references,
    recent,
    referenceId,
    referenceUrl,
    referenceFrame,
    previews,
    error,
    notice,
    importing,
    connect,
    openReference,
    continueAttempt,
    bringBack,
    refreshReferences,
    importFile,
    previewInk,
    applyInk
  }
})
