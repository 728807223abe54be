// The session set-up form as plain values, and the plan it makes (pure: tested without a page).
import { SESSION_LIMITS, type DrawingMode, type SessionOrder, type SessionPlan } from '#shared/contract/sessions.ts'

export interface PlanForm {
  title: string
  referenceIds: string[]
  order: SessionOrder
  count: number
  /** Seconds for every drawing, or 'mixed' for the schedule below. */
  time: number | 'mixed'
  /** The mixed schedule as typed: seconds separated by commas or spaces, "2m" for minutes. */
  schedule: string
  mode: DrawingMode
  studySeconds: number
}

export const TIME_CHOICES = [30, 60, 120, 300, 600, 1200] as const

export function timeLabel(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${seconds / 60} min`
}

/** "30, 30, 1m, 2m" -> [30, 30, 60, 120]; an error message for anything else. */
export function parseSchedule(text: string): number[] | string {
  const parts = text.split(/[\s,;]+/).filter((p) => p.length > 0)
  if (parts.length === 0) return 'give at least one time'
  const out: number[] = []
  for (const p of parts) {
    const m = /^(\d+(?:\.\d+)?)(s|m|min)?$/i.exec(p)
    if (!m) return `"${p}" is not a time (e.g. 30 or 2m)`
    const seconds = Math.round(Number(m[1]) * (m[2] && m[2].toLowerCase() !== 's' ? 60 : 1))
    if (seconds < SESSION_LIMITS.minSeconds || seconds > SESSION_LIMITS.maxSeconds)
      return `${p} is outside 30 s to 20 min`
    out.push(seconds)
  }
  if (out.length > SESSION_LIMITS.maxSchedule) return `at most ${SESSION_LIMITS.maxSchedule} times`
  return out
}

/** The plan, or what is wrong with the form. */
export function planFromForm(form: PlanForm): SessionPlan | string {
  if (form.referenceIds.length === 0) return 'pick at least one reference'
  if (form.referenceIds.length > SESSION_LIMITS.maxItems) return `at most ${SESSION_LIMITS.maxItems} references`
  if (!Number.isInteger(form.count) || form.count < 1 || form.count > SESSION_LIMITS.maxCount)
    return `the number of drawings is 1 to ${SESSION_LIMITS.maxCount}`
  const seconds = form.time === 'mixed' ? parseSchedule(form.schedule) : [form.time]
  if (typeof seconds === 'string') return `the schedule: ${seconds}`
  if (
    form.mode === 'memory' &&
    !(
      Number.isInteger(form.studySeconds) &&
      form.studySeconds >= SESSION_LIMITS.minStudySeconds &&
      form.studySeconds <= SESSION_LIMITS.maxStudySeconds
    )
  )
    return `the study time is ${SESSION_LIMITS.minStudySeconds} to ${SESSION_LIMITS.maxStudySeconds} seconds`
  return {
    title: form.title.trim().slice(0, SESSION_LIMITS.maxTitle) || 'Session',
    mode: form.mode,
    studySeconds: form.mode === 'memory' ? form.studySeconds : 10,
    order: form.order,
    count: form.count,
    seconds,
    items: form.referenceIds.map((referenceId) => ({ referenceId }))
  }
}

/** A plan (imported, or a session to repeat) back into the form. */
export function formFromPlan(plan: SessionPlan): PlanForm {
  const one = plan.seconds.length === 1 && (TIME_CHOICES as readonly number[]).includes(plan.seconds[0])
  return {
    title: plan.title,
    referenceIds: plan.items.map((i) => i.referenceId),
    order: plan.order,
    count: plan.count,
    time: one ? plan.seconds[0] : 'mixed',
    schedule: plan.seconds.join(', '),
    mode: plan.mode,
    studySeconds: plan.studySeconds
  }
}
