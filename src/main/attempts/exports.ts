// What the studio makes of an open attempt: the heatmap it shows, and the export it hands to the
// user (rendered by render/attempt-files.ts, delivered as the shell can: export-files.ts).
import type { ExportResult, HeatmapPicture } from '#shared/contract/attempts.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { ReferenceService } from '../references/service.ts'
import {
  renderAttemptExport,
  renderHeatmapPicture,
  type AttemptSnapshot,
  type PictureOptions
} from '../render/attempt-files.ts'
import type { ErrorField } from '../evaluator/core/error-field.ts'
import type { ExportDelivery } from './export-files.ts'

export interface AttemptExportsDeps {
  attempts: {
    errorField(attemptId: string): Promise<ErrorField | null>
    snapshot(attemptId: string): Promise<AttemptSnapshot>
  }
  references: Pick<ReferenceService, 'summary' | 'picture'>
  deliver: ExportDelivery
  /** The person's name from the settings, for the sheet and the session. */
  personName: () => string
}

export interface AttemptExports {
  /** The heatmap of the current drawing; null while there is no drawing. */
  heatmap(attemptId: string, options: PictureOptions): Promise<HeatmapPicture | null>
  /** The sheet (PDF, PNG), the heatmap, the drawing alone and the session JSON, delivered; 'invalid-input' while nothing is drawn. */
  exportAttempt(attemptId: string, options: PictureOptions): Promise<ExportResult>
}

export function createAttemptExports({
  attempts,
  references,
  deliver,
  personName
}: AttemptExportsDeps): AttemptExports {
  return {
    async heatmap(attemptId, options) {
      const field = await attempts.errorField(attemptId)
      return field ? renderHeatmapPicture(field, options) : null
    },
    async exportAttempt(attemptId, options) {
      // The drawing as it is now, checked before the user is asked where to put it.
      const snapshot = await attempts.snapshot(attemptId)
      const { field } = snapshot
      if (!field) throw new StudioError('invalid-input', 'there is nothing to export yet: draw something first')
      const reference = await references.summary(snapshot.state.referenceId)
      const { frame } = snapshot.state
      return deliver(async () => {
        // The reference at twice the frame: the sheet prints it larger than the frame.
        const referencePng = await references.picture(reference.id, {
          width: frame.width * 2,
          height: frame.height * 2
        })
        return renderAttemptExport({ ...snapshot, field, reference, referencePng, personName: personName() }, options)
      })
    }
  }
}
