import { describe, expect, it } from 'vitest'
import {
  alignmentSentence,
  placementWords,
  proportionWords,
  rotationWords,
  sizeWords
} from '#shared/feedback/alignment-words.ts'

describe('the shape analysis in words', () => {
  it('reads as the issue asks', () => {
    expect(
      alignmentSentence({
        dx: 12.2,
        dy: -7.6,
        scale: 0.9,
        rotationDeg: 3.1,
        top5Error: 1.234,
        meanError: 0.3,
        pivot: { x: 0, y: 0 }
      })
    ).toBe(
      'Placement: 12 px right, 8 px up. Size: 10 % too small. Rotation: 3 degrees clockwise. Shape error once aligned: 1.2 %.'
    )
  })

  it('names every direction, and says when there is nothing to say', () => {
    expect(placementWords(-3.4, 5.5)).toBe('3 px left, 6 px down')
    expect(placementWords(0.4, -0.49)).toBe('in place')
    expect(placementWords(0, 2)).toBe('2 px down')
    expect(sizeWords(1.126)).toBe('13 % too large')
    expect(sizeWords(0.996)).toBe('right size')
    expect(rotationWords(-1.2)).toBe('1 degree anticlockwise')
    expect(rotationWords(0.3)).toBe('not turned')
    expect(proportionWords({ widthRatio: 0.9, heightRatio: 1.234 })).toBe(
      "0.90 x as wide, 1.23 x as tall as the reference's ink"
    )
  })
})
