import { z } from 'zod'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type HistoryApi } from '#shared/contract/history.ts'
import { buildExport } from '../history/export.ts'
import type { History } from '../history/history.ts'
import type { SettingsService } from '../settings/settings-service.ts'
import { referenceId } from './references.ts'

const attemptId = z.uuid({ message: 'an attempt id is a UUID' })

export const historySchemas = {
  historyStatus: z.undefined(),
  listAttempts: z.strictObject({
    referenceId: referenceId.optional(),
    page: z.number().int().min(0).max(1_000_000).optional(),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).optional()
  }),
  historyReferences: z.undefined(),
  attemptDetails: z.strictObject({ attemptId }),
  attemptJournal: z.strictObject({ attemptId }),
  deleteAttempt: z.strictObject({ attemptId }),
  restoreAttempt: z.strictObject({ attemptId }),
  setAttemptDiscarded: z.strictObject({ attemptId, discarded: z.boolean() }),
  progressSeries: z.strictObject({ referenceId }),
  exportHistory: z.strictObject({ format: z.enum(['csv', 'json']), referenceId: referenceId.optional() }),
  listHistoryBackups: z.undefined(),
  restoreHistoryBackup: z.strictObject({
    name: z.string().regex(/^history-[0-9TZ-]{24}\.sqlite$/, 'a backup name is history-<time>.sqlite')
  })
}

/** The read side of the history (and soft delete), over the studio's one store. */
export function historyApi({ history, settings }: { history: History; settings: SettingsService }): HistoryApi {
  const store = () => history.store()
  return {
    async historyStatus() {
      return history.status()
    },
    async listAttempts({ referenceId, page = 0, pageSize = DEFAULT_PAGE_SIZE }) {
      return store().listAttempts({ referenceId, page, pageSize })
    },
    async historyReferences() {
      return store().historyReferences()
    },
    async attemptDetails({ attemptId }) {
      return store().attemptDetails(attemptId)
    },
    async attemptJournal({ attemptId }) {
      return store().attemptJournal(attemptId)
    },
    async deleteAttempt({ attemptId }) {
      return store().deleteAttempt(attemptId)
    },
    async restoreAttempt({ attemptId }) {
      return store().restoreAttempt(attemptId)
    },
    async setAttemptDiscarded({ attemptId, discarded }) {
      return store().setAttemptDiscarded(attemptId, discarded)
    },
    async progressSeries({ referenceId }) {
      return store().progressSeries(referenceId)
    },
    async exportHistory({ format, referenceId }) {
      return buildExport(format, store().exportRows(referenceId), referenceId, new Date(), settings.get().name)
    },
    async listHistoryBackups() {
      return history.backups()
    },
    async restoreHistoryBackup({ name }) {
      return history.restore(name)
    }
  }
}
