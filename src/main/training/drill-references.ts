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

/** The frame every drill is made for (the drills' geometry is laid out for it). */
export const DRILL_FRAME: FrameSize = Object.freeze({ width: 500, height: 500 })

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

/** Black lines on white, as PNG; scaled to fit `size` when one is given. */
async function maskPng(
  mask: Uint8Array,
  frame: FrameSize,
  size?: FrameSize
): Promise<{ png: Uint8Array; width: number; height: number }> {
  const grey = Buffer.alloc(mask.length, 255)
  for (let p = 0; p < mask.length; p++) if (mask[p]) grey[p] = 0
  let image = sharp(grey, { raw: { width: frame.width, height: frame.height, channels: 1 } })
  if (size && (size.width !== frame.width || size.height !== frame.height))
    image = image.resize(size.width, size.height, { fit: 'contain', background: '#ffffff' })
  const { data, info } = await image.png().toBuffer({ resolveWithObject: true })
  return { png: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height }
}

/**
 * The reference service with drills answered beside it. A drill is made for one frame (`frame`,
 * whatever the frame setting): attempts at it get that frame, and pictures asked at another size
 * are that frame's picture scaled.
 */
export function withDrills(base: ReferenceService, frame: FrameSize): ReferenceService {
  const fixed = (id: string): never => {
    throw new StudioError('invalid-input', `${id} is a drill: its lines are fixed`)
  }
  const shown = (id: string, size?: FrameSize) =>
    maskPng(rasterizeShapes(drillOf(id, frame).display, frame.width, frame.height), frame, size)
  return {
    ...base,
    summary: async (id) => (isDrillId(id) ? drillSummary(drillOf(id, frame)) : base.summary(id)),
    frameOf: async (id) => (isDrillId(id) ? (drillOf(id, frame), { ...frame }) : base.frameOf(id)),
    async image(id, size) {
      if (!isDrillId(id)) return base.image(id, size)
      return { id, ...(await shown(id, size)) }
    },
    async picture(id, size) {
      if (!isDrillId(id)) return base.picture(id, size)
      return (await shown(id, size)).png
    },
    async lines(id, size) {
      if (!isDrillId(id)) return base.lines(id, size)
      const mask = rasterizeShapes(drillOf(id, frame).answer, frame.width, frame.height)
      return { id, ...(await maskPng(mask, frame, size)) }
    },
    async thumbnail(id) {
      if (!isDrillId(id)) return base.thumbnail(id)
      return { id, ...(await shown(id, { width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE })) }
    },
    preview: async (id, ink) => (isDrillId(id) ? fixed(id) : base.preview(id, ink)),
    setInk: async (id, ink) => (isDrillId(id) ? fixed(id) : base.setInk(id, ink)),
    rename: async (id, name) => (isDrillId(id) ? fixed(id) : base.rename(id, name)),
    setTags: async (id, tags) => (isDrillId(id) ? fixed(id) : base.setTags(id, tags)),
    remove: async (id) => (isDrillId(id) ? fixed(id) : base.remove(id)),
    restore: async (id) => (isDrillId(id) ? fixed(id) : base.restore(id)),
    async loadReferenceInk(id, size) {
      if (!isDrillId(id)) return base.loadReferenceInk(id, size)
      if (size.width !== frame.width || size.height !== frame.height)
        throw new StudioError(
          'invalid-input',
          `${id} is a drill made for a ${frame.width} x ${frame.height} frame, not ${size.width} x ${size.height}`
        )
      const mask = rasterizeShapes(drillOf(id, frame).answer, frame.width, frame.height)
      let inkPixels = 0
      for (const v of mask) inkPixels += v
      return { mask, width: frame.width, height: frame.height, settings: DRILL_INK, inkPixels }
    }
  }
}
