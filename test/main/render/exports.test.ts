import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { renderDrawingPng } from '#main/render/drawing.ts'
import {
  downloadDelivery,
  folderDelivery,
  lastExportFolder,
  rememberExportFolder,
  saveExportInFolder
} from '#main/attempts/export-files.ts'
import {
  renderAttemptExport,
  renderHeatmapPicture,
  renderKeptImages,
  strokesShown,
  THUMB_SIDE,
  type AttemptExport
} from '#main/render/attempt-files.ts'
import { renderHeatmap } from '#main/render/heatmap.ts'
import type { NamedFile } from '#shared/contract/files.ts'
import { buildSessionExport, parseSessionExport, sessionExportJson } from '#main/attempts/attempt-export.ts'
import type { AttemptState } from '#shared/contract/attempts.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import type { DrawingOp } from '#shared/edit-history/index.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { errorFieldOf, segment } from './field.ts'
import { sheetDate } from '#main/render/attempt-files.ts'

/** A 120 x 80 reference picture (the 60 x 40 frame at 2x): plain mid blue, easy to find on the sheet. */
const PLAIN_REFERENCE = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3060c0' } })
  .png()
  .toBuffer()

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
      version: 2,
      name: '',
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
    expect(() => parseSessionExport(JSON.stringify({ ...data, version: 3 }))).toThrow(
      'a session export of version 3; this app reads versions 1 and 2'
    )
    // Version 1 had no name: it reads as version 2 with none.
    const { name: _name, ...v1 } = { ...data, version: 1 }
    expect(parseSessionExport(JSON.stringify(v1))).toEqual({ ...data, name: '' })
    expect(() => parseSessionExport(JSON.stringify({ ...data, ops: [{ kind: 'scribble' }] }))).toThrow(/at ops\.0/)
    expect(() =>
      buildSessionExport({
        attempt: attempt(),
        reference: { id: 'bundled:cube', name: 'Cube', ink: { mode: 'threshold', threshold: 128 } }
      })
    ).toThrow(/not bundled:cube/)
  })
})

describe('the one attempt renderer', () => {
  const field = errorFieldOf(60, 40, segment(60, 5, 5, 50, 5), segment(60, 5, 8, 50, 7))
  const state: AttemptState = {
    attemptId: 'a',
    referenceId: 'bundled:cube',
    frame: { width: 60, height: 40 },
    ops: [],
    cursor: 0,
    evaluation: field.evaluation,
    startedAt: '2026-11-27T10:05:00.000Z',
    activeMs: 0,
    saveProblem: null
  }
  const source = {
    state,
    ink: { mode: 'threshold', threshold: 128 } as const,
    field,
    reference: { id: 'bundled:cube', name: 'Cube: try' },
    referencePng: new Uint8Array(PLAIN_REFERENCE),
    personName: 'Ada Lovelace',
    exportedAt: new Date('2026-11-27T11:00:00Z'),
    formatDate: (d: Date) => sheetDate(d, 'en-GB', 'UTC')
  }

  it('renders an export as named files: the sheet (PDF, PNG), the heatmap, the drawing alone and the session, under one safe base name', async () => {
    const exported = await renderAttemptExport(source, { view: 'reference', scale: 2 })
    expect(exported.baseName).toBe('Cube- try 2026-11-27 10-05')
    expect(exported.files.map((f) => [f.name, f.mime])).toEqual([
      ['Cube- try 2026-11-27 10-05-sheet.pdf', 'application/pdf'],
      ['Cube- try 2026-11-27 10-05-sheet.png', 'image/png'],
      ['Cube- try 2026-11-27 10-05-heatmap.png', 'image/png'],
      ['Cube- try 2026-11-27 10-05-drawing.png', 'image/png'],
      ['Cube- try 2026-11-27 10-05.json', 'application/json']
    ])
    const [, , heatmap, drawing, session] = exported.files
    // The heatmap is exactly the chosen view at the chosen scale; the drawing exactly the drawn pixels.
    const expectedHeatmap = await renderHeatmap(field, { view: 'reference', scale: 2 })
    expect(Buffer.from(heatmap.bytes).equals(expectedHeatmap.png)).toBe(true)
    const expectedDrawing = await renderDrawingPng(state.frame, { pixels: field.drawingPixels }, 2)
    expect(Buffer.from(drawing.bytes).equals(expectedDrawing)).toBe(true)
    expect(parseSessionExport(new TextDecoder().decode(session.bytes))).toEqual(
      buildSessionExport({
        attempt: state,
        reference: { id: 'bundled:cube', name: 'Cube: try', ink: source.ink },
        name: 'Ada Lovelace',
        exportedAt: source.exportedAt
      })
    )
  })

  it('renders the images kept with a finished attempt from the same pictures: drawing, combined heatmap, thumbnail', async () => {
    const kept = await renderKeptImages(field, state.frame)
    const exported = await renderAttemptExport(source, { view: 'combined', scale: 1 })
    expect(Buffer.from(kept.heatmapPng!).equals(Buffer.from(exported.files[2].bytes))).toBe(true)
    expect(Buffer.from(kept.drawingPng!).equals(Buffer.from(exported.files[3].bytes))).toBe(true)
    const thumb = await sharp(kept.thumbPng!).metadata()
    // Fitted inside 160 x 160, in the frame's proportions.
    expect([thumb.format, Math.max(thumb.width, thumb.height)]).toEqual(['png', THUMB_SIDE])
    expect(thumb.width / thumb.height).toBeCloseTo(60 / 40, 1)
    // An empty drawing keeps a white drawing and a thumbnail, and no heatmap.
    const empty = await renderKeptImages(null, state.frame)
    expect(empty.heatmapPng).toBeUndefined()
    const white = await sharp(empty.drawingPng!).raw().toBuffer()
    expect(white.every((v) => v === 255)).toBe(true)
  })

  it('makes the heatmap the studio shows, with where the frame sits and the top of the scale', async () => {
    const picture = await renderHeatmapPicture(field, { view: 'drawing', scale: 1 })
    const image = await renderHeatmap(field, { view: 'drawing', scale: 1 })
    expect(Buffer.from(picture.png).equals(image.png)).toBe(true)
    expect(picture).toMatchObject({
      view: 'drawing',
      scale: 1,
      width: image.width,
      height: image.height,
      frame: image.frame,
      maxPercent: image.maxPercent
    })
  })
})

describe("the sheet's stroke count", () => {
  const stroke = <T extends Stroke['tool']>(tool: T): Stroke & { tool: T } => ({
    tool,
    size: 3,
    points: [{ x: 1, y: 1, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 }]
  })
  it('is the drawing strokes since its last clear, never construction lines or their clears (worked and fuzzed)', () => {
    const ops: DrawingOp[] = [
      { kind: 'stroke', stroke: stroke('pen') },
      { kind: 'stroke', layer: 'construction', stroke: stroke('pen') },
      { kind: 'stroke', stroke: stroke('eraser') },
      { kind: 'clear', layer: 'construction' },
      { kind: 'stroke', stroke: stroke('pen') }
    ]
    expect(strokesShown({ ops, cursor: 5 })).toBe(3)
    expect(strokesShown({ ops, cursor: 2 })).toBe(1)
    expect(
      strokesShown({ ops: [...ops, { kind: 'clear' }, { kind: 'stroke', stroke: stroke('pen') }], cursor: 7 })
    ).toBe(1)
    const op = fc.constantFrom<DrawingOp>(
      { kind: 'stroke', stroke: stroke('pen') },
      { kind: 'stroke', stroke: stroke('eraser') },
      { kind: 'stroke', layer: 'construction', stroke: stroke('pen') },
      { kind: 'clear' },
      { kind: 'clear', layer: 'construction' }
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.nat(), (list, c) => {
        const cursor = list.length === 0 ? 0 : c % (list.length + 1)
        // Oracle: walk the visible ops, a drawing clear empties the canvas.
        let n = 0
        for (const o of list.slice(0, cursor)) {
          if (o.layer === 'construction') continue
          n = o.kind === 'clear' ? 0 : n + 1
        }
        expect(strokesShown({ ops: list, cursor })).toBe(n)
      })
    )
  })
})

describe('delivering an export', () => {
  const file = (name: string, text: string): NamedFile => ({
    name,
    mime: 'text/plain',
    bytes: new TextEncoder().encode(text)
  })
  const bundle = (base: string, tag: string): AttemptExport => ({
    baseName: base,
    files: [
      file(`${base}-heatmap.png`, `heat ${tag}`),
      file(`${base}-drawing.png`, `draw ${tag}`),
      file(`${base}.json`, `json ${tag}`)
    ]
  })
  const endings = ['-heatmap.png', '-drawing.png', '.json']
  const stem = (n: number): string => (n === 1 ? 'Cube' : `Cube (${n})`)

  it('writes into a folder side by side under the first base name free for all files, never over a file that is there', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.constantFrom(...endings)), {
          maxLength: 8,
          selector: ([n, e]) => stem(n) + e
        }),
        async (taken) => {
          const folder = tempDir()
          for (const [n, ending] of taken) await writeFile(join(folder, stem(n) + ending), `mine ${n}${ending}`)
          const paths = await saveExportInFolder(folder, bundle('Cube', 'new'))
          // The plain answer: the first n none of whose names is taken.
          let n = 1
          while (taken.some(([m]) => m === n)) n++
          expect(paths).toEqual(endings.map((e) => join(folder, stem(n) + e)))
          expect(await readFile(paths[1], 'utf8')).toBe('draw new')
          for (const [m, ending] of taken)
            expect(await readFile(join(folder, stem(m) + ending), 'utf8')).toBe(`mine ${m}${ending}`)
          // Nothing else: no temp files, no partial sets.
          expect((await readdir(folder)).length).toBe(taken.length + 3)
        }
      ),
      { numRuns: 25 }
    )
  })

  it('refuses files whose names do not start with the base name or hold a folder', async () => {
    const folder = tempDir()
    await expect(saveExportInFolder(folder, { baseName: 'Cube', files: [file('Vase.json', '')] })).rejects.toThrow(
      /not a bare name starting with "Cube"/
    )
    await expect(saveExportInFolder(folder, { baseName: 'Cube', files: [file('Cube/../x.json', '')] })).rejects.toThrow(
      /not a bare name/
    )
    expect(await readdir(folder)).toEqual([])
  })

  it('on the desktop asks for a folder first (suggesting the last one), renders only when one is chosen, and remembers it', async () => {
    const dataDir = tempDir()
    const folder = join(tempDir(), 'studies')
    const asked: (string | undefined)[] = []
    let answer: string | null = null
    let renders = 0
    const render = async (): Promise<AttemptExport> => (renders++, bundle('Cube', 'x'))
    const deliver = folderDelivery(dataDir, async (suggested) => (asked.push(suggested), answer))
    expect(await deliver(render)).toEqual({ kind: 'cancelled' })
    expect(renders).toBe(0)
    answer = folder
    const saved = await deliver(render)
    expect(saved).toEqual({ kind: 'saved', folder, files: endings.map((e) => join(folder, `Cube${e}`)) })
    expect(await lastExportFolder(dataDir)).toBe(folder)
    expect(await deliver(render)).toMatchObject({
      files: [join(folder, 'Cube (2)-heatmap.png'), expect.anything(), expect.anything()]
    })
    expect(asked).toEqual([undefined, undefined, folder])
    expect(renders).toBe(2)
  })

  it('in the host hands the rendered files back as downloads', async () => {
    const exported = bundle('Cube', 'x')
    expect(await downloadDelivery(async () => exported)).toEqual({ kind: 'download', files: exported.files })
  })

  it('remembers the export folder', async () => {
    const dataDir = tempDir()
    expect(await lastExportFolder(dataDir)).toBeUndefined()
    await rememberExportFolder(dataDir, '/home/me/Pictures/studies')
    expect(await lastExportFolder(dataDir)).toBe('/home/me/Pictures/studies')
    expect(await readdir(dataDir)).toEqual(['export.json'])
  })
})
