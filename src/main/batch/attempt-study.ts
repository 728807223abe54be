// One exported attempt (the session JSON and, beside it, the drawing PNG) scored again from
// scratch for a class report: the drawing from the PNG (exactly the ink that was scored; from the
// strokes in the JSON when the PNG is not there), the reference found again (reference-ink.ts),
// the spec's evaluation, and a drill's own figures. The scores in the file are never used.
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { FrameSize } from '#shared/contract/app.ts'
import type { DrawingOp } from '#shared/edit-history/index.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { measureDrill, type DrillMeasure } from '#shared/drills/index.ts'
import { rasterizeStroke } from '#shared/stroke/rasterize.ts'
import { parseSessionExport, type SessionExportV2 } from '#main/attempts/attempt-export.ts'
import { checkFrame } from '#main/evaluator/core/frame.ts'
import { readImageFile } from '#main/references/read-file.ts'
import { MAX_REFERENCE_PIXELS } from '#shared/contract/references.ts'
import { FullScorer } from './full-score.ts'
import { readPngPixels } from './png-pixels.ts'
import type { ReferenceInkFinder } from './reference-ink.ts'

/** The largest session JSON read (a long drawing's strokes are a few MB). */
export const MAX_EXPORT_BYTES = 64 * 1000 * 1000

export interface AttemptStudy {
  evaluation: Evaluation
  reference: { id: string; name: string }
  student: string | null
  startedAt: string
  drill: DrillMeasure | null
  /** Where the drawing was read from. */
  drawingFrom: 'png' | 'strokes'
}

/** Read and check an export's JSON (size first), with errors that say what is wrong. */
export async function readSessionExport(path: string): Promise<SessionExportV2> {
  const size = await stat(path).then(
    (s) => s.size,
    (err: NodeJS.ErrnoException) => {
      throw new StudioError('not-found', `cannot read it (${err.code ?? err.message})`)
    }
  )
  if (size > MAX_EXPORT_BYTES)
    throw new StudioError(
      'invalid-input',
      `the file is ${(size / 1e6).toFixed(1)} MB; an export is at most ${MAX_EXPORT_BYTES / 1e6} MB`
    )
  let data: SessionExportV2
  try {
    data = parseSessionExport(await readFile(path, 'utf8'))
  } catch (err) {
    throw new StudioError('invalid-input', (err as Error).message)
  }
  try {
    checkFrame(data.frame.width, data.frame.height)
  } catch (err) {
    throw new StudioError('invalid-input', (err as Error).message)
  }
  return data
}

export class AttemptScorer {
  private readonly scorers = new Map<string, FullScorer>()
  private readonly finder: ReferenceInkFinder

  constructor(finder: ReferenceInkFinder) {
    this.finder = finder
  }

  async score(jsonPath: string, drawingPath: string | null): Promise<AttemptStudy> {
    const data = await readSessionExport(jsonPath)
    const { frame } = data
    const drawing = drawingPath ? await drawingFromPng(drawingPath, frame) : drawingFromOps(data.ops, frame)
    const reference = await this.finder.find(data.reference.id, data.reference.ink, frame)
    const key = `${frame.width}x${frame.height}`
    let scorer = this.scorers.get(key)
    if (!scorer) this.scorers.set(key, (scorer = new FullScorer(frame.width, frame.height)))
    const evaluation = scorer.evaluate(reference.mask, drawing)
    return {
      evaluation,
      reference: { id: data.reference.id, name: data.reference.name },
      student: data.name || null,
      startedAt: data.attempt.startedAt,
      drill: reference.drill ? measureDrill(reference.drill, drawing) : null,
      drawingFrom: drawingPath ? 'png' : 'strokes'
    }
  }
}

/**
 * The drawing PNG as exported (black ink on white at the frame's size, or each pixel as a 2 x 2
 * block at 2x): ink where the grey is below 128. Anything else is refused as not an export.
 */
export async function drawingFromPng(path: string, frame: FrameSize): Promise<Uint8Array> {
  const { fileName, bytes } = await readImageFile(path)
  const png = readPngPixels(bytes, MAX_REFERENCE_PIXELS)
  const scale = png ? png.width / frame.width : 0
  if (!png || png.channels > 2 || png.palette || (scale !== 1 && scale !== 2) || png.height !== frame.height * scale)
    throw new StudioError(
      'bad-image',
      `${fileName}: not a drawing exported with this attempt (a grey PNG of ${frame.width} x ${frame.height} or twice that)`
    )
  const { data, rowStride, channels } = png
  const mask = new Uint8Array(frame.width * frame.height)
  for (let y = 0; y < frame.height; y++)
    for (let x = 0; x < frame.width; x++) {
      const at = (yy: number, xx: number): number =>
        data[(y * scale + yy) * rowStride + 1 + (x * scale + xx) * channels]
      const ink = at(0, 0) < 128 ? 1 : 0
      if (
        scale === 2 &&
        (ink !== (at(0, 1) < 128 ? 1 : 0) || ink !== (at(1, 0) < 128 ? 1 : 0) || ink !== (at(1, 1) < 128 ? 1 : 0))
      )
        throw new StudioError('bad-image', `${fileName}: a 2x drawing whose pixels are not 2 x 2 blocks`)
      mask[y * frame.width + x] = ink
    }
  return mask
}

/** The drawing from its strokes, as the studio rasterises them: pens set, erasers clear, clear clears. */
export function drawingFromOps(ops: readonly DrawingOp[], frame: FrameSize): Uint8Array {
  const mask = new Uint8Array(frame.width * frame.height)
  for (const op of ops) {
    if (op.kind === 'clear') {
      mask.fill(0)
      continue
    }
    const value = op.stroke.tool === 'pen' ? 1 : 0
    for (const p of rasterizeStroke(op.stroke, frame)) mask[p] = value
  }
  return mask
}

export const exportBaseName = (jsonPath: string): string => basename(jsonPath).replace(/\.json$/i, '')
