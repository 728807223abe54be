// An in-memory HistoryApi for the history panel's renderer tests: the contract's paging (newest
// first, deleted hidden), references, details, journals, soft delete, progress and export.
import type {
  AttemptSummary,
  HistoryApi,
  HistoryBackup,
  HistoryReference,
  HistoryStatus,
  JournalEntry,
  ProgressSeries
} from '#shared/contract/history.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { fakeEvaluation } from '#test/renderer/fake-api.ts'

export interface FakeHistoryAttempt extends AttemptSummary {
  deleted: boolean
  entries: JournalEntry[]
}

export function summary(
  i: number,
  referenceId: string,
  startedAt: Date,
  top5Error: number | null = 10 + (i % 7)
): FakeHistoryAttempt {
  return {
    attemptId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    referenceId,
    referenceName: referenceId === 'bundled:cube' ? 'Cube' : 'Vase',
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + 60_000).toISOString(),
    activeMs: 45_000 + i,
    strokeCount: 3 + (i % 5),
    top5Error,
    frame: { width: 500, height: 500 },
    discarded: false,
    thumbnailPng: new Uint8Array([137, 80, 78, 71, i % 256]),
    deleted: false,
    entries: []
  }
}

const byNewest = (a: AttemptSummary, b: AttemptSummary): number =>
  a.startedAt !== b.startedAt ? (a.startedAt < b.startedAt ? 1 : -1) : a.attemptId < b.attemptId ? 1 : -1

export function fakeHistoryApi(
  attempts: FakeHistoryAttempt[],
  options: { status?: HistoryStatus; backups?: HistoryBackup[] } = {}
) {
  const calls: string[] = []
  const find = (id: string): FakeHistoryAttempt => {
    const a = attempts.find((x) => x.attemptId === id)
    if (!a) throw new StudioError('not-found', `no attempt with id "${id}"`)
    return a
  }
  const live = (referenceId?: string) =>
    attempts.filter((a) => !a.deleted && (referenceId === undefined || a.referenceId === referenceId)).sort(byNewest)
  const strip = ({ deleted: _d, entries: _e, ...rest }: FakeHistoryAttempt): AttemptSummary => rest
  const evaluationOf = (a: FakeHistoryAttempt): Evaluation | null => {
    if (a.top5Error === null) return null
    const e = fakeEvaluation(
      [
        {
          kind: 'stroke',
          stroke: {
            tool: 'pen',
            size: 3,
            points: [
              { x: 10, y: 10, pressure: 0.5, tiltX: 0, tiltY: 0, t: 0 },
              { x: 200, y: 10, pressure: 0.5, tiltX: 0, tiltY: 0, t: 50 }
            ]
          }
        }
      ],
      1
    )
    return e.status === 'scored' ? { ...e, top5Error: a.top5Error } : e
  }

  const api: HistoryApi = {
    async historyStatus() {
      calls.push('status')
      return options.status ?? { state: 'ready', dataDir: '/data', recovered: null }
    },
    async listAttempts({ referenceId, page = 0, pageSize = 50 }) {
      calls.push(`list ${referenceId ?? '*'} ${page} ${pageSize}`)
      const all = live(referenceId)
      return { items: all.slice(page * pageSize, (page + 1) * pageSize).map(strip), total: all.length, page, pageSize }
    },
    async historyReferences() {
      calls.push('references')
      const refs = new Map<string, HistoryReference>()
      for (const a of live()) {
        const r = refs.get(a.referenceId) ?? {
          referenceId: a.referenceId,
          name: a.referenceName,
          source: 'bundled' as const,
          width: 500,
          height: 500,
          attemptCount: 0,
          lastAttemptAt: a.startedAt,
          bestTop5Error: null
        }
        r.attemptCount++
        if (a.top5Error !== null && (r.bestTop5Error === null || a.top5Error < r.bestTop5Error))
          r.bestTop5Error = a.top5Error
        refs.set(a.referenceId, r)
      }
      return [...refs.values()]
    },
    async attemptDetails({ attemptId }) {
      calls.push(`details ${attemptId}`)
      const a = find(attemptId)
      return {
        attempt: strip(a),
        evaluation: evaluationOf(a),
        scores: a.entries.map((e) => ({
          seq: e.seq,
          kind: e.op.kind,
          at: e.at,
          top5Error: e.evaluation.status === 'scored' ? e.evaluation.top5Error : null
        })),
        drawingPng: new Uint8Array([137, 80, 78, 71, 1]),
        heatmapPng: new Uint8Array([137, 80, 78, 71, 2])
      }
    },
    async attemptJournal({ attemptId }) {
      calls.push(`journal ${attemptId}`)
      const a = find(attemptId)
      return { attemptId, referenceId: a.referenceId, frame: a.frame, startedAt: a.startedAt, entries: a.entries }
    },
    async deleteAttempt({ attemptId }) {
      calls.push(`delete ${attemptId}`)
      find(attemptId).deleted = true
      return { attemptId, deletedAt: new Date(0).toISOString() }
    },
    async restoreAttempt({ attemptId }) {
      calls.push(`restore ${attemptId}`)
      find(attemptId).deleted = false
      return { attemptId }
    },
    async setAttemptDiscarded({ attemptId, discarded }) {
      calls.push(`discard ${attemptId} ${discarded}`)
      find(attemptId).discarded = discarded
      return { attemptId, discarded }
    },
    async progressSeries({ referenceId }): Promise<ProgressSeries> {
      calls.push(`progress ${referenceId}`)
      const scored = live(referenceId)
        .filter((a) => a.top5Error !== null && !a.discarded)
        .reverse()
      let best: { attemptId: string; top5Error: number } | null = null
      for (const a of scored)
        if (best === null || a.top5Error! < best.top5Error) best = { attemptId: a.attemptId, top5Error: a.top5Error! }
      return {
        referenceId,
        points: scored.map((a) => ({
          attemptId: a.attemptId,
          endedAt: a.endedAt!,
          top5Error: a.top5Error!,
          personalBest: a.attemptId === best?.attemptId
        })),
        best
      }
    },
    async exportHistory({ format, referenceId }) {
      calls.push(`export ${format} ${referenceId ?? '*'}`)
      const rows = live(referenceId).reverse()
      const text =
        format === 'csv'
          ? ['attempt_id,top5_error', ...rows.map((r) => `${r.attemptId},${r.top5Error ?? ''}`)].join('\n')
          : JSON.stringify(rows.map(strip))
      return {
        name: `sightline-history.${format}`,
        mime: format === 'csv' ? 'text/csv' : 'application/json',
        bytes: new TextEncoder().encode(text)
      }
    },
    async listHistoryBackups() {
      calls.push('backups')
      return options.backups ?? []
    },
    async restoreHistoryBackup({ name }) {
      calls.push(`restore ${name}`)
      const restored = (options.backups ?? []).find((b) => b.name === name)
      if (!restored) throw new StudioError('not-found', `no backup "${name}"`)
      attempts.splice(restored.attempts)
      const status: HistoryStatus = { state: 'ready', dataDir: '/data', recovered: null }
      return { restored, replacedMovedTo: '/data/history.replaced-x.sqlite', status }
    }
  }
  return { api, calls, attempts }
}
