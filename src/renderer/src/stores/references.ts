import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef, watch } from 'vue'
import type { AppInfo, FrameSize, ReferenceSummary, StudioApi } from '#shared/contract/api.ts'
import { frameFor, sameFrame } from '#shared/frame.ts'
import { usePresenceStore } from './presence.ts'
import { useSettingsStore } from './settings.ts'
import { useViewStore } from './view.ts'
import {
  MAX_REFERENCE_BYTES,
  SMALL_REFERENCE_SIDE,
  type InkChoice,
  type InkPreview,
  type InkSettings
} from '#shared/contract/references.ts'
import { useDrawingStore } from './drawing.ts'
import { shellBridge } from '#renderer/transport/api.ts'

function pngUrl(png: Uint8Array): string {
  return URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }))
}

/** Outline and inverted ink are not what the picture shows: the panel shows the lines being scored. */
const linesByDefault = (ink: InkSettings): boolean => ink.mode === 'outline' || ink.invert === true

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
  /** The reference panel shows the lines being scored instead of the picture. */
  const showLines = ref(false)
  /** The lines being scored (black on white, at the frame), once asked for. */
  const linesUrl = ref<string | null>(null)
  /** Why the Ink dialog opened by itself ('photo': an imported photograph was taken as its outline). */
  const inkReason = ref<'photo' | null>(null)
  /** The last reference removed from the library, while its Undo is on offer. */
  const removed = shallowRef<ReferenceSummary | null>(null)
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
    const presence = usePresenceStore()
    presence.connect(studioApi)
    // Another tab or window drawing in this studio: wait until the person takes over here.
    if (await presence.claim(false)) await begin()
  }

  /** Take the studio over from the other tab or window, and carry on with what was drawn there. */
  async function takeOver(): Promise<void> {
    if (await usePresenceStore().claim(true)) await begin()
  }

  /** The studio, from the top: the references, then the drawing left unfinished or a new attempt. */
  async function begin(): Promise<void> {
    const studioApi = requireApi()
    try {
      info.value = await studioApi.appInfo()
      references.value = await studioApi.listReferences()
      // A drawing left unfinished (the app or host stopped, or another window drew) carries on where it was.
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
      if (referenceId.value !== id) showLines.value = summary ? linesByDefault(summary.ink) : false
      dropLines()
      referenceId.value = id
      if (showLines.value) void loadLines()
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

  function dropLines(): void {
    if (linesUrl.value) URL.revokeObjectURL(linesUrl.value)
    linesUrl.value = null
  }

  /** The lines being scored, in the attempt's frame. */
  async function loadLines(): Promise<void> {
    const id = referenceId.value
    const frame = referenceFrame.value
    if (!id || !frame) return
    try {
      const lines = await requireApi().getReferenceLines({ id, frame })
      if (id !== referenceId.value) return
      dropLines()
      linesUrl.value = pngUrl(lines.png)
    } catch (err) {
      error.value = `The lines being scored could not be shown: ${(err as Error).message}`
    }
  }

  /** The reference panel shows the picture, or the lines being scored. */
  function setShowLines(on: boolean): void {
    showLines.value = on
    if (on && !linesUrl.value) void loadLines()
  }

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
    importing.value = file.name
    try {
      const summary = await upload(file)
      await openReference(summary.id)
      await refreshReferences()
      adviseAfterImport(summary)
      return null
    } catch (err) {
      return (err as Error).message
    } finally {
      importing.value = null
    }
  }

  /** One file into the library (not opened). */
  async function upload(file: File): Promise<ReferenceSummary> {
    if (file.size > MAX_REFERENCE_BYTES)
      throw new Error(
        `${file.name}: the file is ${(file.size / 1e6).toFixed(0)} MB; a reference may be at most ${MAX_REFERENCE_BYTES / 1e6} MB`
      )
    // In the desktop app the main side reads the file itself (no copy through the page);
    // the Node host's browser has no path to give, so it uploads the bytes.
    const path = shellBridge().pathForFile(file)
    return path
      ? requireApi().importReference({ path })
      : requireApi().importReference({ fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })
  }

  /**
   * What an imported reference needs said: a photograph opens the Ink dialog on Outline (its
   * edges are the lines), light lines were taken inverted, a small picture will look blurred.
   */
  function adviseAfterImport(summary: ReferenceSummary): void {
    const words: string[] = []
    if (summary.ink.invert)
      words.push('Light lines on a dark or transparent ground: they were taken inverted (Ink to change).')
    const side = Math.max(summary.width, summary.height)
    if (side < SMALL_REFERENCE_SIDE)
      words.push(
        `This image is only ${summary.width} × ${summary.height} px: enlarged to the frame it looks blurred; one of at least ${SMALL_REFERENCE_SIDE} px works better.`
      )
    notice.value = words.length > 0 ? words.join(' ') : null
    if (summary.source === 'library' && summary.photo && summary.ink.mode === 'outline') {
      inkReason.value = 'photo'
      useViewStore().dialog = 'ink'
    }
  }

  /**
   * Every image of a folder (chosen with the folder picker) into the library, tagged with the
   * folder's name; none is opened. Says how many came in and why each other was refused.
   */
  async function importFolder(files: File[]): Promise<{ imported: number; refused: string[] }> {
    const images = files.filter((f) => /\.(png|jpe?g|webp|avif|tiff?|gif|svg)$/i.test(f.name))
    const refused = files.filter((f) => !images.includes(f)).map((f) => `${f.name}: not an image file`)
    let imported = 0
    for (const file of images) {
      importing.value = file.name
      try {
        const summary = await upload(file)
        const folder = (file as File & { webkitRelativePath?: string }).webkitRelativePath?.split('/')[0]
        if (folder && summary.source === 'library' && !summary.tags.includes(folder))
          await requireApi().setReferenceTags({ id: summary.id, tags: [...summary.tags, folder] })
        imported++
      } catch (err) {
        refused.push((err as Error).message)
      }
    }
    importing.value = null
    await refreshReferences()
    return { imported, refused }
  }

  /** Rename a library reference; the error message, or null. */
  async function rename(id: string, name: string): Promise<string | null> {
    try {
      const summary = await requireApi().renameReference({ id, name })
      references.value = references.value.map((r) => (r.id === id ? summary : r))
      recent.value = recent.value.map((r) => (r.id === id ? summary : r))
      return null
    } catch (err) {
      return (err as Error).message
    }
  }

  async function setTags(id: string, tags: string[]): Promise<string | null> {
    try {
      const summary = await requireApi().setReferenceTags({ id, tags })
      references.value = references.value.map((r) => (r.id === id ? summary : r))
      return null
    } catch (err) {
      return (err as Error).message
    }
  }

  /** Remove a library reference (its Undo is on offer in `removed`); the error message, or null. */
  async function remove(id: string): Promise<string | null> {
    const summary = references.value.find((r) => r.id === id) ?? null
    try {
      await requireApi().removeReference({ id })
    } catch (err) {
      return (err as Error).message
    }
    removed.value = summary
    references.value = references.value.filter((r) => r.id !== id)
    recent.value = recent.value.filter((r) => r.id !== id)
    return null
  }

  async function undoRemove(): Promise<string | null> {
    const last = removed.value
    if (!last) return null
    removed.value = null
    try {
      await requireApi().restoreReference({ id: last.id })
    } catch (err) {
      return (err as Error).message
    }
    await refreshReferences()
    return null
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
      if (id === referenceId.value) {
        // New lines: shown as they now are, and by default when they are not the picture's own.
        dropLines()
        setShowLines(linesByDefault(summary.ink) || showLines.value)
      }
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
    showLines,
    linesUrl,
    inkReason,
    removed,
    previews,
    error,
    notice,
    importing,
    connect,
    takeOver,
    openReference,
    continueAttempt,
    bringBack,
    refreshReferences,
    setShowLines,
    importFile,
    importFolder,
    rename,
    setTags,
    remove,
    undoRemove,
    previewInk,
    applyInk
  }
})
