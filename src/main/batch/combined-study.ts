// One combined image of the original tool (docs/scoring.md section 5) scored from its bytes:
// the narrow PNG path when the file is one it takes, sharp otherwise (which also words every
// refusal). Both give the same masks; the scorer is the same.
import { createHash } from 'node:crypto'
import { COMBINED } from '#main/references/combined-layout.ts'
import type { LegacyBackground } from '#main/references/ink.ts'
import { MAX_REFERENCE_BYTES, MAX_REFERENCE_PIXELS } from '#shared/contract/references.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { combinedHalvesFromPng } from './combined-ink.ts'
import { FullScorer } from './full-score.ts'
import { readPngPixels } from './png-pixels.ts'

export interface CombinedStudy {
  evaluation: Evaluation
  /** The same reference half gives the same key: studies of one reference group together. */
  referenceKey: string
  /** Which decoder read the file (for the benchmark's account of where time goes). */
  decodedBy: 'png' | 'sharp'
}

export class CombinedScorer {
  private readonly scorer = new FullScorer(COMBINED.side, COMBINED.side)

  async score(fileName: string, bytes: Buffer, background: LegacyBackground): Promise<CombinedStudy> {
    const png = bytes.length <= MAX_REFERENCE_BYTES ? readPngPixels(bytes, MAX_REFERENCE_PIXELS) : null
    const halves = png && combinedHalvesFromPng(png, background)
    if (halves) {
      const evaluation = this.scorer.evaluateViews(halves.reference, halves.drawing, fileName)
      return { evaluation, referenceKey: this.referenceKey(), decodedBy: 'png' }
    }
    // Loaded on first need: most batches never do, and sharp costs a worker its start-up time.
    const { inkFromCombinedBytes } = await import('#main/references/extract.ts')
    const { reference, drawing } = await inkFromCombinedBytes(fileName, bytes, background)
    const evaluation = this.scorer.evaluate(reference.mask, drawing.mask, fileName)
    return { evaluation, referenceKey: this.referenceKey(), decodedBy: 'sharp' }
  }

  private referenceKey(): string {
    const ink = this.scorer.referenceInk()
    return createHash('sha256')
      .update(new Uint8Array(ink.buffer, ink.byteOffset, ink.byteLength))
      .digest('hex')
      .slice(0, 16)
  }
}
