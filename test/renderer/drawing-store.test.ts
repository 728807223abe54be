// The drawing store with construction lines: what each layer paints, and a resumed attempt keeps
// every op's layer (its construction lines stay construction lines).
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AttemptState } from '#shared/contract/attempts.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { useDrawingStore } from '#renderer/stores/drawing.ts'

const stroke = (x: number): Stroke => ({
  tool: 'pen',
  size: 3,
  points: [{ x, y: x, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }]
})

describe('the drawing store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('keeps construction lines apart: painted on their own layer, cleared alone, not counted as strokes', () => {
    const store = useDrawingStore()
    store.commitStroke(stroke(1), 'construction')
    store.commitStroke(stroke(2))
    expect(store.constructionOps.map((op) => op.kind === 'stroke' && op.stroke.points[0].x)).toEqual([1])
    expect(store.paintOps.map((op) => op.kind === 'stroke' && op.stroke.points[0].x)).toEqual([2])
    expect(store.strokes).toBe(1)
    store.clearConstruction()
    expect(store.constructionOps).toEqual([])
    expect(store.paintOps).toHaveLength(1)
    store.undo()
    expect(store.constructionOps).toHaveLength(1)
    // An eraser on the construction layer is an eraser on the drawing (there is no construction eraser).
    store.commitStroke({ ...stroke(3), tool: 'eraser' }, 'construction')
    expect(store.paintOps.at(-1)).toMatchObject({ kind: 'stroke', stroke: { tool: 'eraser' } })
    expect(store.paintOps.at(-1)).not.toHaveProperty('layer')
  })

  it('resumes an attempt with its construction lines on their layer', () => {
    const store = useDrawingStore()
    const state: AttemptState = {
      attemptId: '00000000-0000-4000-8000-000000000001',
      referenceId: 'bundled:cube',
      frame: { width: 500, height: 500 },
      ops: [
        { kind: 'stroke', layer: 'construction', stroke: { ...stroke(1), tool: 'pen' } },
        { kind: 'stroke', stroke: stroke(2) },
        { kind: 'clear', layer: 'construction' }
      ],
      cursor: 2,
      evaluation: { status: 'empty', reason: 'no drawing yet', referencePixels: 1, drawingPixels: 0 },
      startedAt: new Date(0).toISOString(),
      activeMs: 0,
      saveProblem: null
    }
    store.resumeAttempt(state)
    expect(store.history.ops.map((op) => op.layer ?? 'drawing')).toEqual(['construction', 'drawing', 'construction'])
    expect(store.constructionOps).toHaveLength(1)
    expect(store.paintOps).toHaveLength(1)
    expect(store.strokes).toBe(1)
  })
})
