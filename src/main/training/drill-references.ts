// Drills as references: ids `drill:<kind>:<seed>` answered here (the picture the reference panel
// shows, the answer's ink the evaluator scores), everything else handed to the reference service.
// A drill's lines are what they are: its ink settings cannot change, and it is never listed.
import sharp from 'sharp'
import type { FrameSize } from '#shared/contract/app.ts'
import { THUMBNAIL_SIZE, type DrillReferenceSummary, type InkSettings } from '#shared/contract/references.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { drillFromId, isDrillId, rasterizeShapes, type Drill } from '#shared/drills/index.ts'
import type { ReferenceService } from '#main/references/service.ts'

export const DRILL_INK: InkSettings = { mode: 'threshold', threshold: 128 }

export function drillOf(id: string, frame: FrameSize): Drill {
  try {
    return drillFromId(id, frame)
  } catch {
    throw new StudioError('not-found', `no reference with id "${id}"`)
  }
}

export function drillSummary(drill: Drill): DrillReferenceSummary {
  return {
    id: drill.id,
    name: `${drill.title} ${String(drill.seed % 10000).padStart(4, '0')}`,
    source: 'drill',
    kind: drill.kind,
    seed: drill.seed,
    width: drill.frame.width,
    height: drill.frame.height,
    ink: DRILL_INK
  }
}

/** Black lines on white, as PNG. */
async function maskPng(
  mask: Uint8Array,
  frame: FrameSize,
  fit?: number
): Promise<{ png: Uint8Array; width: number; height: number }> {
  const grey = Buffer.alloc(mask.length, 255)
  for (let p = 0; p < mask.length; p++) if (mask[p]) grey[p] = 0
  let image = sharp(grey, { raw: { width: frame.width, height: frame.height, channels: 1 } })
  if (fit) image = image.resize(fit, fit, { fit: 'inside' })
  const { data, info } = await image.png().toBuffer({ resolveWithObject: true })
  return { png: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
}

export function withDrills(base: ReferenceService, frame: FrameSize): ReferenceService {
  const fixed = (id: string): never => {
    throw new StudioError('invalid-input', `${id} is a drill: its lines are fixed`)
  }
  return {
    ...base,
    summary: async (id) => (isDrillId(id) ? drillSummary(drillOf(id, frame)) : base.summary(id)),
    async image(id) {
      if (!isDrillId(id)) return base.image(id)
      const drill = drillOf(id, frame)
      const { png } = await maskPng(rasterizeShapes(drill.display, frame.width, frame.height), frame)
      return { id, width: frame.width, height: frame.height, png }
    },
    async thumbnail(id) {
      if (!isDrillId(id)) return base.thumbnail(id)
      const drill = drillOf(id, frame)
      return {
        id,
        ...(await maskPng(rasterizeShapes(drill.display, frame.width, frame.height), frame, THUMBNAIL_SIZE))
      }
    },
    preview: async (id, ink) => (isDrillId(id) ? fixed(id) : base.preview(id, ink)),
    setInk: async (id, ink) => (isDrillId(id) ? fixed(id) : base.setInk(id, ink)),
    async loadReferenceInk(id) {
      if (!isDrillId(id)) return base.loadReferenceInk(id)
      const drill = drillOf(id, frame)
      const mask = rasterizeShapes(drill.answer, frame.width, frame.height)
      let inkPixels = 0
      for (const v of mask) inkPixels += v
      return { mask, width: frame.width, height: frame.height, settings: DRILL_INK, inkPixels }
    }
  }
}
