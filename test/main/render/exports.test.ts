import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { renderDrawingPng } from '#main/render/drawing.ts'
import { lastExportFolder, rememberExportFolder, writeExportFiles } from '#main/attempts/export-files.ts'
import { buildSessionExport, parseSessionExport, sessionExportJson } from '#main/attempts/attempt-export.ts'
import type { AttemptState } from '#shared/contract/attempts.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { errorFieldOf, segment } from './field.ts'

describe('the drawing alone as PNG', () => {
  it('is black ink on white, the same from a mask or a pixel list, each pixel a 2 x 2 block at 2x', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        async (w, h, raw) => {
          const pixels = raw.map((p) => p % (w * h))
          const mask = new Uint8Array(w * h)
          for (const p of pixels) mask[p] = 1
          for (const scale of [1, 2] as const) {
            const fromMask = await renderDrawingPng({ width: w, height: h }, { mask }, scale)
            const fromPixels = await renderDrawingPng({ width: w, height: h }, { pixels }, scale)
            const a = await sharp(fromMask).raw().toBuffer({ resolveWithObject: true })
            const b = await sharp(fromPixels).raw().toBuffer({ resolveWithObject: true })
            expect(a.data.equals(b.data)).toBe(true)
            expect([a.info.width, a.info.height]).toEqual([w * scale, h * scale])
            const c = a.info.channels
            for (let y = 0; y < h * scale; y++) {
              for (let x = 0; x < w * scale; x++) {
                const ink = mask[Math.floor(y / scale) * w + Math.floor(x / scale)] === 1
                expect(a.data[(y * w * scale + x) * c]).toBe(ink ? 0 : 255)
              }
            }
          }
        }
      ),
      { numRuns: 30 }
    )
  })

  it('refuses pixels outside the frame or a mask of the wrong size', async () => {
    await expect(renderDrawingPng({ width: 10, height: 10 }, { pixels: [100] })).rejects.toThrow(
      /outside the 10 x 10 frame/
    )
    await expect(renderDrawingPng({ width: 10, height: 10 }, { mask: new Uint8Array(99) })).rejects.toThrow(/99 bytes/)
  })
})

describe('the session export (JSON, version 1)', () => {
  const stroke = (x: number): Stroke => ({
    tool: 'pen',
    size: 3,
    points: [
      { x, y: 2, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 },
      { x: x + 5, y: 9, pressure: 0.7, tiltX: 10, tiltY: -5, t: 16 }
    ]
  })

  function attempt(): AttemptState {
    const field = errorFieldOf(50, 50, segment(50, 5, 5, 40, 5), segment(50, 5, 7, 40, 6))
    return {
      attemptId: 'a1',
      referenceId: 'bundled:vase',
      frame: { width: 50, height: 50 },
      ops: [
        { kind: 'stroke', stroke: stroke(1) },
        { kind: 'clear' },
        { kind: 'stroke', stroke: stroke(20) },
        { kind: 'stroke', stroke: stroke(30) }
      ],
      cursor: 3,
      evaluation: field.evaluation,
      startedAt: '2026-11-27T10:00:00.000Z',
      activeMs: 41_000,
      saveProblem: null
    }
  }

  it('holds the drawing as it stands, the scores, the reference id and its ink settings, and reads back the same', () => {
    const data = buildSessionExport({
      attempt: attempt(),
      reference: { id: 'bundled:vase', name: 'Vase', ink: { mode: 'threshold', threshold: 128 } },
      exportedAt: new Date('2026-11-27T11:00:00Z')
    })
    expect(data).toMatchObject({
      format: 'sightline-session',
      version: 1,
      exportedAt: '2026-11-27T11:00:00.000Z',
      frame: { width: 50, height: 50 },
      reference: { id: 'bundled:vase', ink: { mode: 'threshold', threshold: 128 } },
      attempt: { id: 'a1' }
    })
    // Undone edits (after the cursor) are not part of the drawing.
    expect(data.ops).toEqual(attempt().ops.slice(0, 3))
    expect(data.evaluation).toEqual(attempt().evaluation)
    expect(parseSessionExport(sessionExportJson(data))).toEqual(data)
  })

  it('says what is wrong with a file that is not one', () => {
    const data = buildSessionExport({
      attempt: attempt(),
      reference: { id: 'bundled:vase', name: 'Vase', ink: { mode: 'auto', threshold: 120 } }
    })
    expect(() => parseSessionExport('{')).toThrow(/^not a session export/)
    expect(() => parseSessionExport(JSON.stringify({ ...data, version: 2 }))).toThrow(
      'a session export of version 2; this app reads version 1'
    )
    expect(() => parseSessionExport(JSON.stringify({ ...data, ops: [{ kind: 'scribble' }] }))).toThrow(/at ops\.0/)
    expect(() =>
      buildSessionExport({
        attempt: attempt(),
        reference: { id: 'bundled:cube', name: 'Cube', ink: { mode: 'threshold', threshold: 128 } }
      })
    ).toThrow(/not bundled:cube/)
  })
})

describe('export files', () => {
  it('writes heatmap, drawing and session side by side, never over an existing file', async () => {
    const folder = tempDir()
    const field = errorFieldOf(60, 40, segment(60, 5, 5, 50, 5), segment(60, 5, 8, 50, 7))
    const session = buildSessionExport({
      attempt: {
        attemptId: 'a',
        referenceId: 'bundled:cube',
        frame: { width: 60, height: 40 },
        ops: [],
        cursor: 0,
        evaluation: field.evaluation,
        startedAt: '2026-11-27T10:00:00.000Z',
        activeMs: 0,
        saveProblem: null
      },
      reference: { id: 'bundled:cube', name: 'Cube', ink: { mode: 'threshold', threshold: 128 } }
    })
    await writeFile(join(folder, 'Cube- try-drawing.png'), 'mine')
    const first = await writeExportFiles({ folder, baseName: 'Cube: try', field, session, scale: 2 })
    // "Cube- try-drawing.png" was taken, so all three moved to "(2)" together.
    expect(first).toEqual({
      heatmap: join(folder, 'Cube- try (2)-heatmap.png'),
      drawing: join(folder, 'Cube- try (2)-drawing.png'),
      session: join(folder, 'Cube- try (2).json')
    })
    expect(await readFile(join(folder, 'Cube- try-drawing.png'), 'utf8')).toBe('mine')
    const heat = await sharp(first.heatmap).metadata()
    const drawing = await sharp(first.drawing).metadata()
    expect([heat.width, heat.height, drawing.width, drawing.height]).toEqual([1040, 2 * (40 + 122), 120, 80])
    expect(parseSessionExport(await readFile(first.session, 'utf8'))).toEqual(session)
    const second = await writeExportFiles({ folder, baseName: 'Cube: try', field, session })
    expect(second.session).toBe(join(folder, 'Cube- try (3).json'))
  })

  it('remembers the export folder', async () => {
    const dataDir = tempDir()
    expect(await lastExportFolder(dataDir)).toBeUndefined()
    await rememberExportFolder(dataDir, '/home/me/Pictures/studies')
    expect(await lastExportFolder(dataDir)).toBe('/home/me/Pictures/studies')
  })
})
