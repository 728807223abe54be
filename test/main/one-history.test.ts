// One history on both sides: the studio applies each edit to its history at once (the shared
// model, as its drawing store does) and sends it to the attempt service, which applies it to its
// own copy and journals it. The studio's copy, main's live copy, the journal folded as the
// history panel's replay folds it, and the journal folded as main resumes an attempt after a
// restart must all be the same ops + cursor. (Node tests cannot load the renderer's store itself;
// test/renderer covers the store on top of the same model.)
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EditResult, StudioApi } from '#shared/contract/api.ts'
import {
  EMPTY_HISTORY,
  applyEdit,
  canClear,
  journalHistories,
  type Edit,
  type History
} from '#shared/edit-history/index.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const coord = fc.double({ min: 20, max: 480, noNaN: true })
const strokeArb: fc.Arbitrary<Stroke> = fc.record({
  tool: fc.constantFrom<Stroke['tool']>('pen', 'pen', 'eraser'),
  size: fc.double({ min: 1, max: 20, noNaN: true }),
  points: fc.array(
    fc.record({
      x: coord,
      y: coord,
      pressure: fc.double({ min: 0, max: 1, noNaN: true }),
      tiltX: fc.constant(0),
      tiltY: fc.constant(0),
      t: fc.nat(10_000)
    }),
    { minLength: 1, maxLength: 6 }
  )
})
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: strokeArb.map((stroke) => ({ kind: 'stroke' as const, stroke })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'undo' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'redo' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) }
)

const plain = (h: History): { ops: unknown[]; cursor: number } => ({ ops: [...h.ops], cursor: h.cursor })

async function studio(dataDir: string): Promise<StudioApi> {
  return (await openStudio({ dataDir })).api
}

function send(api: StudioApi, attemptId: string, edit: Edit): Promise<EditResult> {
  switch (edit.kind) {
    case 'stroke':
      return api.commitStroke({ attemptId, stroke: edit.stroke })
    case 'clear':
      return api.clearDrawing({ attemptId })
    case 'undo':
      return api.undo({ attemptId })
    case 'redo':
      return api.redo({ attemptId })
  }
}

describe('the studio and the main side keep one history', () => {
  it('live on both sides, folded from the journal for replay, and folded again to resume', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 24 }), async (edits) => {
        const dataDir = tempDir()
        const main = await studio(dataDir)
        const { attemptId } = await main.startAttempt({ referenceId: 'bundled:cube' })
        // The studio's side: its history changes at once; an edit that changes nothing (an undo
        // with nothing to undo) is not sent, and clear is offered only with something to clear.
        let studioSide: History = EMPTY_HISTORY
        let last: EditResult | null = null
        for (const edit of edits) {
          const next = applyEdit(studioSide, edit)
          if (next === studioSide || (edit.kind === 'clear' && !canClear(studioSide))) continue
          studioSide = next
          last = await send(main, attemptId, edit)
          // What the studio checks of every answer.
          expect([last.cursor, last.opCount]).toEqual([studioSide.cursor, studioSide.ops.length])
        }
        const live = plain(studioSide)
        if (!last) {
          // Nothing was sent: an attempt nobody drew in leaves no trace.
          expect(await main.resumeAttempt()).toBeNull()
          return
        }

        const open = await main.resumeAttempt() // the open attempt, as main holds it now
        expect(open).not.toBeNull()
        expect({ ops: open!.ops, cursor: open!.cursor }).toEqual(live)
        expect(open!.evaluation).toEqual(last.evaluation)

        const journal = await main.attemptJournal({ attemptId: open!.attemptId })
        const replayed = journalHistories(journal.entries)
        expect(plain(replayed[replayed.length - 1])).toEqual(live)

        const resumed = await (await studio(dataDir)).resumeAttempt() // the next start of the app
        expect(resumed).toMatchObject({ attemptId: open!.attemptId, cursor: live.cursor, ops: live.ops })
        expect(resumed!.evaluation).toEqual(open!.evaluation)
      }),
      { numRuns: 15 }
    )
  })
})
