// A StudioApi for renderer tests only: the app and references parts, and an in-memory attempt
// that keeps its history with the shared model (src/shared/edit-history) and rasterises strokes
// with the shared function. Its "score" is a stand-in (drawing pixels / 100), enough to see which
// state was scored.
import type { AttemptState, AttemptsApi, EditResult } from '#shared/contract/attempts.ts'
import { applyEdit, visibleOps, type DrawingOp, type Edit } from '#shared/edit-history/index.ts'
import type { ReferenceSummary, ReferencesApi, StudioApi } from '#shared/contract/api.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { rasterizeStroke } from '#shared/stroke/index.ts'
import { frameFor } from '#shared/frame.ts'

export const FRAME = { width: 500, height: 500 }

/** An attempt: its ids and its history (ops + cursor). */
export interface FakeAttempt {
  attemptId: string
  referenceId: string
  frame: { width: number; height: number }
  ops: DrawingOp[]
  cursor: number
  activeMs?: number
}

export function inkOf(ops: readonly DrawingOp[], cursor: number, frame = FRAME): Set<number> {
  const ink = new Set<number>()
  for (const op of visibleOps({ ops, cursor })) {
    if (op.kind === 'clear') ink.clear()
    else if (op.stroke.tool === 'pen') for (const p of rasterizeStroke(op.stroke, frame)) ink.add(p)
    else for (const p of rasterizeStroke(op.stroke, frame)) ink.delete(p)
  }
  return ink
}

export function fakeEvaluation(ops: readonly DrawingOp[], cursor: number): Evaluation {
  const n = inkOf(ops, cursor).size
  if (n === 0) return { status: 'empty', reason: 'no drawing yet', referencePixels: 1234, drawingPixels: 0 }
  const grid = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => ((i * 10 + j) % 7) * 3))
  return {
    status: 'scored',
    top5Error: n / 100,
    meanError: n / 400,
    topError: n / 50,
    referencePixels: 1234,
    drawingPixels: n,
    grid,
    extraInk: { mean: 1.25, max: 4.5 },
    missedLines: { mean: 2.5, max: 9 },
    precision: 0.5,
    recall: 0.25,
    f1: 1 / 3,
    tolerancePx: 5,
    side: 500,
    worstCells: [
      { row: 0, col: 6, value: 18 },
      { row: 1, col: 3, value: 18 },
      { row: 2, col: 0, value: 18 },
      { row: 2, col: 7, value: 18 },
      { row: 3, col: 4, value: 18 }
    ]
  }
}

export interface FakeApiOptions {
  /** Hold every attempt call until release() (to see the canvas not waiting). */
  manual?: boolean
  /** An attempt left unfinished, for resumeAttempt (its ops and cursor). */
  unfinished?: {
    referenceId: string
    ops: DrawingOp[]
    cursor: number
    activeMs: number
    frame?: { width: number; height: number }
  }
  /** What every edit answers as its save problem (the history refusing). */
  saveProblem?: string
}

export function fakeApi(overrides: Partial<StudioApi & AttemptsApi> = {}, options: FakeApiOptions = {}) {
  const attempts = new Map<string, FakeAttempt>()
  const finished: FakeAttempt[] = []
  const activeTimes: (number | undefined)[] = []
  const calls: string[] = []
  const held: (() => void)[] = []
  let next = 1
  const gate = (): Promise<void> =>
    options.manual ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve()

  function find(id: string): FakeAttempt {
    const a = attempts.get(id)
    if (!a) throw new Error(`no attempt ${id}`)
    return a
  }
  /** An edit to the attempt, as the attempt service applies it. */
  function edit(id: string, e: Edit): EditResult {
    const a = find(id)
    const next = applyEdit(a, e)
    a.ops = [...next.ops]
    a.cursor = next.cursor
    return result(a)
  }
  const result = (a: FakeAttempt): EditResult => ({
    evaluation: fakeEvaluation(a.ops, a.cursor),
    opCount: a.ops.length,
    cursor: a.cursor,
    saveProblem: options.saveProblem ?? null
  })
  const stateOf = (a: FakeAttempt, activeMs = a.activeMs ?? 0): AttemptState => ({
    attemptId: a.attemptId,
    referenceId: a.referenceId,
    cursor: a.cursor,
    ops: [...a.ops],
    frame: a.frame,
    evaluation: fakeEvaluation(a.ops, a.cursor),
    startedAt: new Date(0).toISOString(),
    activeMs,
    saveProblem: options.saveProblem ?? null
  })

  const ink = { mode: 'threshold' as const, threshold: 128 }
  const attemptsApi: AttemptsApi = {
    async startAttempt({ referenceId }): Promise<AttemptState> {
      calls.push(`start ${referenceId}`)
      await gate()
      const a: FakeAttempt = { attemptId: `a${next++}`, referenceId, frame: frameOf(referenceId), ops: [], cursor: 0 }
      attempts.set(a.attemptId, a)
      return stateOf(a)
    },
    async continueAttempt({ attemptId }) {
      calls.push(`continue ${attemptId}`)
      await gate()
      const open = attempts.get(attemptId)
      if (open) return stateOf(open)
      const i = finished.findIndex((a) => a.attemptId === attemptId)
      if (i < 0) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      const [a] = finished.splice(i, 1)
      attempts.set(a.attemptId, a)
      return stateOf(a)
    },
    async resumeAttempt() {
      calls.push('resume')
      const u = options.unfinished
      if (!u) return null
      const a: FakeAttempt = {
        attemptId: 'a0',
        referenceId: u.referenceId,
        frame: u.frame ?? frameOf(u.referenceId),
        ops: [...u.ops],
        cursor: u.cursor
      }
      attempts.set(a.attemptId, a)
      return stateOf(a, u.activeMs)
    },
    async finishAttempt({ attemptId, activeMs }) {
      calls.push(`finish ${attemptId} ${activeMs ?? '-'}`)
      await gate()
      const a = find(attemptId)
      attempts.delete(attemptId)
      if (activeMs !== undefined) a.activeMs = activeMs
      finished.push(a)
      return { attemptId, evaluation: fakeEvaluation(a.ops, a.cursor) }
    },
    async evaluateAttempt({ attemptId }) {
      calls.push(`evaluate ${attemptId}`)
      await gate()
      const a = find(attemptId)
      const e = fakeEvaluation(a.ops, a.cursor)
      if (e.status === 'empty') return e
      // A stand-in analysis: 12 px right, 8 px up, 10 % small, 3 degrees clockwise.
      return {
        ...e,
        alignment: {
          dx: 12,
          dy: -8,
          scale: 0.9,
          rotationDeg: 3,
          top5Error: 1.2,
          meanError: 0.4,
          pivot: { x: 250, y: 250 }
        },
        proportion: { widthRatio: 0.9, heightRatio: 0.92 }
      }
    },
    async commitStroke({ attemptId, stroke, activeMs }) {
      calls.push(`stroke ${stroke.tool}`)
      activeTimes.push(activeMs)
      await gate()
      return edit(attemptId, { kind: 'stroke', stroke })
    },
    async undo({ attemptId }) {
      calls.push('undo')
      await gate()
      return edit(attemptId, { kind: 'undo' })
    },
    async redo({ attemptId }) {
      calls.push('redo')
      await gate()
      return edit(attemptId, { kind: 'redo' })
    },
    async clearDrawing({ attemptId }) {
      calls.push('clear')
      await gate()
      return edit(attemptId, { kind: 'clear' })
    },
    async attemptHeatmap({ attemptId, view, scale }) {
      calls.push(`heatmap ${view} ${scale}`)
      await gate()
      const a = find(attemptId)
      if (inkOf(a.ops, a.cursor).size === 0) return null
      const side = 500 * scale
      // A stand-in picture: the frame, with a panel below it.
      return {
        view,
        scale,
        png: new Uint8Array([137, 80, 78, 71, a.cursor]),
        width: side + 20 * scale,
        height: side + 122 * scale,
        frame: { left: 0, top: 0, width: side, height: side },
        maxPercent: 20
      }
    },
    async attemptOverlay({ attemptId, layer, view, aligned, scale }) {
      calls.push(`overlay ${layer} ${view} ${aligned ? 'aligned' : 'raw'} ${scale}`)
      await gate()
      const a = find(attemptId)
      if (inkOf(a.ops, a.cursor).size === 0) return null
      // A stand-in picture of the frame's size.
      return {
        layer,
        view,
        aligned,
        scale,
        png: new Uint8Array([137, 80, 78, 71, a.cursor]),
        width: 500 * scale,
        height: 500 * scale,
        tolerancePx: 5,
        maxPercent: 10
      }
    },
    async exportAttempt({ attemptId, view }) {
      calls.push(`export ${view}`)
      await gate()
      const a = find(attemptId)
      return {
        kind: 'download',
        files: [{ name: `attempt-${a.cursor}.json`, mime: 'application/json', bytes: new TextEncoder().encode('{}') }]
      }
    }
  }

  function frameOf(referenceId: string): { width: number; height: number } {
    const r = references.find((x) => x.id === referenceId)
    return r ? frameFor(r.width, r.height, 500) : FRAME
  }
  const references: ReferenceSummary[] = [
    { id: 'bundled:cube', name: 'Cube', source: 'bundled', width: 1000, height: 1000, ink },
    { id: 'bundled:vase', name: 'Vase', source: 'bundled', width: 800, height: 1000, ink }
  ]
  const recent: ReferenceSummary[] = []
  const removedRefs: ReferenceSummary[] = []
  const referencesApi: ReferencesApi = {
    previewInk: async ({ id, ink: choice }) => {
      calls.push(`preview ${id} ${JSON.stringify(choice)}`)
      const threshold = choice.mode === 'auto' ? 117 : choice.threshold
      // Pretend a high edge threshold finds nothing.
      const inkPixels = choice.mode === 'outline' && choice.threshold > 200 ? 0 : threshold * 10
      return {
        id,
        width: 500,
        height: 500,
        png: new Uint8Array([137, 80, 78, 71, 2]),
        inkPixels,
        settings: { mode: choice.mode, threshold }
      }
    },
    setReferenceInk: async ({ id, ink: choice }) => {
      calls.push(`set ink ${id} ${JSON.stringify(choice)}`)
      const r = references.find((x) => x.id === id)!
      const updated = { ...r, ink: choice.mode === 'auto' ? { mode: 'auto' as const, threshold: 117 } : choice }
      references.splice(references.indexOf(r), 1, updated)
      return updated
    },
    listReferences: async () => [...references],
    recentReferences: async () => [...recent],
    getReferenceImage: async ({ id, frame }) => {
      const r = references.find((x) => x.id === id)
      if (!r) throw new StudioError('not-found', `no reference with id "${id}"`)
      recent.splice(0, recent.length, r, ...recent.filter((x) => x.id !== id))
      const f = frame ?? frameOf(id)
      return { id, width: f.width, height: f.height, png: new Uint8Array([137, 80, 78, 71]) }
    },
    getReferenceThumbnail: async ({ id }) => ({
      id,
      width: 160,
      height: 160,
      png: new Uint8Array([137, 80, 78, 71, 1])
    }),
    importReference: async (args) => {
      if (!('bytes' in args)) throw new StudioError('invalid-input', 'the host takes uploads, not paths')
      calls.push(`import ${args.fileName} ${args.bytes.length}`)
      if (!args.fileName.endsWith('.png'))
        throw new StudioError('bad-image', `${args.fileName}: not an image sharp can read`)
      const r: ReferenceSummary = {
        id: `lib:${args.bytes.length}`,
        name: args.fileName.replace(/\.png$/, ''),
        source: 'library',
        width: 640,
        height: 480,
        ink: { mode: 'auto', threshold: 120 },
        fileName: args.fileName,
        format: 'png',
        bytes: args.bytes.length,
        createdAt: new Date(0).toISOString(),
        lastUsedAt: new Date(0).toISOString(),
        photo: args.fileName.startsWith('photo'),
        tags: []
      }
      if (r.source === 'library' && r.photo) r.ink = { mode: 'outline', threshold: 32 }
      references.push(r)
      return r
    },
    getReferenceLines: async ({ id, frame }) => {
      calls.push(`lines ${id}`)
      const f = frame ?? frameOf(id)
      return { id, width: f.width, height: f.height, png: new Uint8Array([137, 80, 78, 71, 9]) }
    },
    renameReference: async ({ id, name }) => {
      calls.push(`rename ${id} ${name}`)
      const i = references.findIndex((x) => x.id === id)
      if (i < 0 || references[i].source !== 'library') throw new StudioError('invalid-input', 'not a library reference')
      references[i] = { ...references[i], name }
      return references[i]
    },
    setReferenceTags: async ({ id, tags }) => {
      calls.push(`tags ${id} ${tags.join('|')}`)
      const i = references.findIndex((x) => x.id === id)
      const r = references[i]
      if (!r || r.source !== 'library') throw new StudioError('invalid-input', 'not a library reference')
      references[i] = { ...r, tags }
      return references[i]
    },
    removeReference: async ({ id }) => {
      calls.push(`remove ${id}`)
      const i = references.findIndex((x) => x.id === id)
      if (i < 0) throw new StudioError('not-found', `no reference with id "${id}"`)
      removedRefs.push(...references.splice(i, 1))
      return { id }
    },
    restoreReference: async ({ id }) => {
      calls.push(`restore ${id}`)
      const i = removedRefs.findIndex((x) => x.id === id)
      if (i < 0) throw new StudioError('not-found', `no reference with id "${id}"`)
      const [r] = removedRefs.splice(i, 1)
      references.push(r)
      return r
    }
  }

  const api = {
    appInfo: async () => ({ name: 'Sightline Studio', version: '0.1.0', shell: 'host' as const }),
    ...referencesApi,
    ...attemptsApi,
    ...overrides
  }
  return {
    api: api as unknown as StudioApi & AttemptsApi,
    attempts,
    finished,
    /** The activeMs sent with each stroke. */
    activeTimes,
    calls,
    /** Let the oldest held call proceed. */
    release(): boolean {
      const r = held.shift()
      r?.()
      return Boolean(r)
    },
    /** Let the newest held call proceed (answers may arrive out of order). */
    releaseNewest(): boolean {
      const r = held.pop()
      r?.()
      return Boolean(r)
    },
    get heldCount(): number {
      return held.length
    }
  }
}
