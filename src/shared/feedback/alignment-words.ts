// The shape analysis in words, the same in the report and on the command line: "Placement: 12 px
// right, 8 px up. Size: 10 % too small. Rotation: 3 degrees clockwise. Shape error once aligned:
// 1.2 %." Whole pixels, percents and degrees (the figures keep full precision).
import type { Alignment, Proportion } from '../contract/scores.ts'

/** What the headline score counts, in one sentence. */
export const TOP5_MEANING =
  'The top-5 error is the mean of the five worst grid cells, so it counts where the drawing sits as well as its shape; the shape error is the same figure once the drawing is moved, scaled and turned onto the reference.'

export interface AlignmentWords {
  placement: string
  size: string
  rotation: string
  shape: string
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

export function placementWords(dx: number, dy: number): string {
  const x = Math.round(Math.abs(dx))
  const y = Math.round(Math.abs(dy))
  const parts: string[] = []
  if (x > 0) parts.push(`${x} px ${dx > 0 ? 'right' : 'left'}`)
  if (y > 0) parts.push(`${y} px ${dy > 0 ? 'down' : 'up'}`)
  return parts.length > 0 ? parts.join(', ') : 'in place'
}

export function sizeWords(scale: number): string {
  const percent = Math.round(Math.abs(scale - 1) * 100)
  if (percent === 0) return 'right size'
  return `${percent} % too ${scale < 1 ? 'small' : 'large'}`
}

export function rotationWords(rotationDeg: number): string {
  const degrees = Math.round(Math.abs(rotationDeg))
  if (degrees === 0) return 'not turned'
  return `${plural(degrees, 'degree', 'degrees')} ${rotationDeg > 0 ? 'clockwise' : 'anticlockwise'}`
}

export function alignmentWords(a: Alignment): AlignmentWords {
  return {
    placement: placementWords(a.dx, a.dy),
    size: sizeWords(a.scale),
    rotation: rotationWords(a.rotationDeg),
    shape: `${a.top5Error.toFixed(1)} %`
  }
}

/** "Placement: 12 px right, 8 px up. Size: 10 % too small. Rotation: 3 degrees clockwise. Shape error once aligned: 1.2 %." */
export function alignmentSentence(a: Alignment): string {
  const w = alignmentWords(a)
  return `Placement: ${w.placement}. Size: ${w.size}. Rotation: ${w.rotation}. Shape error once aligned: ${w.shape}.`
}

/** "0.90 x as wide, 0.92 x as tall as the reference's ink" */
export function proportionWords(p: Proportion): string {
  return `${p.widthRatio.toFixed(2)} x as wide, ${p.heightRatio.toFixed(2)} x as tall as the reference's ink`
}
