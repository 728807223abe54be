// Drill ids alone (`drill:<kind>:<seed>`), for code that checks ids without generating drills.
export const DRILL_KINDS = [
  'line-through-points',
  'line-angle',
  'ellipse',
  'box',
  'copy-length',
  'divide-line'
] as const
export type DrillKind = (typeof DRILL_KINDS)[number]

const PREFIX = 'drill:'
export const MAX_SEED = 0xffffffff

export function drillId(kind: DrillKind, seed: number): string {
  return `${PREFIX}${kind}:${seed >>> 0}`
}

export function isDrillId(id: string): boolean {
  return id.startsWith(PREFIX)
}

/** The kind and seed of a drill id, or null when it is not one. */
export function parseDrillId(id: string): { kind: DrillKind; seed: number } | null {
  const m = /^drill:([a-z-]+):(\d{1,10})$/.exec(id)
  if (!m) return null
  const kind = DRILL_KINDS.find((k) => k === m[1])
  const seed = Number(m[2])
  if (!kind || seed > MAX_SEED) return null
  return { kind, seed }
}

export const isDrillIdValid = (id: string): boolean => parseDrillId(id) !== null
