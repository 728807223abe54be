// The training part of the history (schema step "training sessions"): sessions and which attempt
// drew each of their drawings, drills' own figures per attempt, and practice per day. Statements
// run through the history store (one commit each, the same failure handling).
import { randomUUID } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import type { SessionDrawing, SessionSummary, TrainingSession } from '#shared/contract/training.ts'
import { StudioError } from '#shared/contract/errors.ts'
import type { DrillKind } from '#shared/drills/ids.ts'
import type { DrillMeasure } from '#shared/drills/measure.ts'
import type { LaidOutDrawing } from '#shared/training/session-layout.ts'
import { sessionPlanSchema } from '#main/training/plan-schema.ts'
import type { History } from './history.ts'

const SESSION_ID = /^[0-9a-f-]{36}$/

export interface DrillRecord {
  attemptId: string
  kind: DrillKind
  endedAt: string
  top5Error: number
  headline: number
  measure: DrillMeasure
}

export class TrainingStore {
  readonly #history: History
  constructor(history: History) {
    this.#history = history
  }

  #run<T>(what: string, work: (db: DatabaseSync) => T): T {
    return this.#history.store().run(what, work)
  }

  createSession(plan: SessionPlan, seed: number, drawings: LaidOutDrawing[], now = new Date()): string {
    const id = randomUUID()
    this.#run('save the session', (db) => {
      db.prepare('INSERT INTO training_sessions (id, plan, seed, started_at) VALUES (?, ?, ?, ?)').run(
        id,
        JSON.stringify(plan),
        seed,
        now.getTime()
      )
      const add = db.prepare(
        'INSERT INTO session_drawings (session_id, position, reference_id, seconds) VALUES (?, ?, ?, ?)'
      )
      drawings.forEach((d, i) => add.run(id, i, d.referenceId, d.seconds))
    })
    return id
  }

  recordDrawing(sessionId: string, position: number, attemptId: string): void {
    this.#checkId(sessionId)
    this.#run('save the session drawing', (db) => {
      const attempt = db.prepare('SELECT reference_id FROM attempts WHERE id = ?').get(attemptId) as
        { reference_id: string } | undefined
      if (!attempt) throw new StudioError('not-found', `no attempt with id "${attemptId}"`)
      const slot = db
        .prepare('SELECT reference_id FROM session_drawings WHERE session_id = ? AND position = ?')
        .get(sessionId, position) as { reference_id: string } | undefined
      if (!slot) throw new StudioError('not-found', `the session ${sessionId} has no drawing ${position}`)
      if (slot.reference_id !== attempt.reference_id)
        throw new StudioError(
          'invalid-input',
          `drawing ${position} of the session is of ${slot.reference_id}, not ${attempt.reference_id}`
        )
      db.prepare('UPDATE session_drawings SET attempt_id = ? WHERE session_id = ? AND position = ?').run(
        attemptId,
        sessionId,
        position
      )
    })
  }

  finishSession(sessionId: string, now = new Date()): void {
    this.#checkId(sessionId)
    this.#run('finish the session', (db) => {
      const r = db
        .prepare('UPDATE training_sessions SET ended_at = coalesce(ended_at, ?) WHERE id = ?')
        .run(now.getTime(), sessionId)
      if (r.changes === 0) throw new StudioError('not-found', `no session with id "${sessionId}"`)
    })
  }

  getSession(sessionId: string): TrainingSession {
    this.#checkId(sessionId)
    return this.#run('read the session', (db) => {
      const row = db
        .prepare('SELECT id, plan, started_at, ended_at FROM training_sessions WHERE id = ?')
        .get(sessionId) as { id: string; plan: string; started_at: number; ended_at: number | null } | undefined
      if (!row) throw new StudioError('not-found', `no session with id "${sessionId}"`)
      const drawings = (
        db
          .prepare(
            `SELECT d.position, d.reference_id, d.seconds, d.attempt_id, a.top5_error
             FROM session_drawings d LEFT JOIN attempts a ON a.id = d.attempt_id AND a.deleted_at IS NULL
             WHERE d.session_id = ? ORDER BY d.position`
          )
          .all(sessionId) as {
          position: number
          reference_id: string
          seconds: number
          attempt_id: string | null
          top5_error: number | null
        }[]
      ).map((d): SessionDrawing => ({
        position: d.position,
        referenceId: d.reference_id,
        seconds: d.seconds,
        attemptId: d.attempt_id,
        top5Error: d.top5_error
      }))
      return {
        sessionId: row.id,
        plan: parsePlan(row.plan),
        startedAt: new Date(row.started_at).toISOString(),
        endedAt: row.ended_at === null ? null : new Date(row.ended_at).toISOString(),
        drawings
      }
    })
  }

  listSessions(limit = 200): SessionSummary[] {
    return this.#run('list the sessions', (db) =>
      (
        db
          .prepare(
            `SELECT s.id, s.plan, s.started_at, s.ended_at, count(d.position) AS drawings, count(a.id) AS drawn,
                    avg(a.top5_error) AS mean
             FROM training_sessions s
             LEFT JOIN session_drawings d ON d.session_id = s.id
             LEFT JOIN attempts a ON a.id = d.attempt_id AND a.deleted_at IS NULL
             GROUP BY s.id ORDER BY s.started_at DESC LIMIT ?`
          )
          .all(limit) as {
          id: string
          plan: string
          started_at: number
          ended_at: number | null
          drawings: number
          drawn: number
          mean: number | null
        }[]
      ).map((r) => ({
        sessionId: r.id,
        title: parsePlan(r.plan).title,
        startedAt: new Date(r.started_at).toISOString(),
        endedAt: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
        drawings: r.drawings,
        drawn: r.drawn,
        meanTop5Error: r.mean
      }))
    )
  }

  saveDrillResult(attemptId: string, kind: DrillKind, measure: DrillMeasure): void {
    this.#run('save the drill result', (db) => {
      db.prepare(
        `INSERT INTO drill_results (attempt_id, kind, figures, headline) VALUES (?, ?, ?, ?)
         ON CONFLICT (attempt_id) DO UPDATE SET kind = excluded.kind, figures = excluded.figures, headline = excluded.headline`
      ).run(attemptId, kind, JSON.stringify(measure), Math.abs(measure.headline.value))
    })
  }

  /** Finished, live drill attempts with a score, oldest first. */
  drillRecords(): DrillRecord[] {
    return this.#run('read the drill results', (db) =>
      (
        db
          .prepare(
            `SELECT r.attempt_id, r.kind, r.figures, r.headline, a.ended_at, a.top5_error
             FROM drill_results r JOIN attempts a ON a.id = r.attempt_id
             WHERE a.deleted_at IS NULL AND a.ended_at IS NOT NULL AND a.top5_error IS NOT NULL
             ORDER BY a.ended_at, a.id`
          )
          .all() as {
          attempt_id: string
          kind: string
          figures: string
          headline: number
          ended_at: number
          top5_error: number
        }[]
      ).flatMap((r) => {
        let measure: DrillMeasure
        try {
          measure = JSON.parse(r.figures) as DrillMeasure
        } catch {
          return []
        }
        return [
          {
            attemptId: r.attempt_id,
            kind: r.kind as DrillKind,
            endedAt: new Date(r.ended_at).toISOString(),
            top5Error: r.top5_error,
            headline: r.headline,
            measure
          }
        ]
      })
    )
  }

  /** Start time and drawing time of every live attempt begun at or after `since` (ms). */
  practiceSince(since: number): { startedAt: number; activeMs: number }[] {
    return this.#run('read the practice time', (db) =>
      (
        db
          .prepare(
            'SELECT started_at, active_ms FROM attempts WHERE deleted_at IS NULL AND started_at >= ? ORDER BY started_at'
          )
          .all(since) as { started_at: number; active_ms: number }[]
      ).map((r) => ({ startedAt: r.started_at, activeMs: r.active_ms }))
    )
  }

  #checkId(sessionId: string): void {
    if (!SESSION_ID.test(sessionId))
      throw new StudioError('invalid-input', `"${sessionId.slice(0, 80)}" is not a session id`)
  }
}

function parsePlan(text: string): SessionPlan {
  const parsed = sessionPlanSchema.safeParse(JSON.parse(text))
  if (!parsed.success)
    throw new StudioError('storage', `a stored session plan is damaged (${parsed.error.issues[0]?.message})`)
  return parsed.data as SessionPlan
}
