// Training: sessions (a plan drawn through with a timer, kept in the history and repeatable),
// drills (generated references with their own figures), how practice is going (time per day, a
// daily goal, a streak, trends per drill), assignment packs, and profiles (one name per student
// on one machine, each with their own history and settings).
import type { ExportResult } from './attempts.ts'
import type { FrameSize } from './app.ts'
import type { ReferenceUpload } from './references.ts'
import type { SessionPlan } from './sessions.ts'
import type { DrillKind } from '../drills/ids.ts'
import type { DrillMeasure } from '../drills/measure.ts'
import type { Shape } from '../drills/shapes.ts'

export type { SessionPlan } from './sessions.ts'

/** One drawing of a session: its reference, its time, and the attempt that drew it (once drawn). */
export interface SessionDrawing {
  position: number
  referenceId: string
  seconds: number
  attemptId: string | null
  /** The attempt's final score (null: not drawn yet, or nothing drawn). */
  top5Error: number | null
}

export interface TrainingSession {
  sessionId: string
  plan: SessionPlan
  startedAt: string
  endedAt: string | null
  drawings: SessionDrawing[]
}

export interface SessionSummary {
  sessionId: string
  title: string
  startedAt: string
  endedAt: string | null
  drawings: number
  drawn: number
  meanTop5Error: number | null
}

/** What the studio shows of a drill: the prompt and the guide drawn under the canvas. */
export interface DrillInfo {
  referenceId: string
  kind: DrillKind
  seed: number
  title: string
  prompt: string
  frame: FrameSize
  guide: Shape[]
}

export interface DayPractice {
  /** Local calendar day, YYYY-MM-DD. */
  day: string
  activeMs: number
  attempts: number
}

export interface DrillTrendPoint {
  attemptId: string
  endedAt: string
  top5Error: number
  /** The drill's own headline figure (an error: lower is better), in its unit. */
  figure: number
}

export interface DrillTrend {
  kind: DrillKind
  title: string
  /** The headline figure's label and unit. */
  label: string
  unit: DrillMeasure['headline']['unit']
  points: DrillTrendPoint[]
}

export interface PracticeSummary {
  /** The last `days` days, oldest first, today last (days without practice included). */
  days: DayPractice[]
  today: DayPractice
  goalMinutes: number
  /** Days in a row, up to today (or yesterday, while today's goal is not met yet), that met the goal. */
  streak: number
  drills: DrillTrend[]
}

export interface ImportedPack {
  plan: SessionPlan
  author: string | null
  createdAt: string
}

export interface Profile {
  profileId: string
  name: string
  createdAt: string
}

export interface Profiles {
  profiles: Profile[]
  activeId: string
}

export interface TrainingApi {
  /** Begin a session: its drawings laid out (order and times settled now), kept in the history. */
  startSession(args: { plan: SessionPlan; seed?: number }): Promise<TrainingSession>
  /** Say which attempt drew a drawing of the session (its score is read when asked). */
  recordSessionDrawing(args: { sessionId: string; position: number; attemptId: string }): Promise<void>
  finishSession(args: { sessionId: string }): Promise<TrainingSession>
  getSession(args: { sessionId: string }): Promise<TrainingSession>
  listSessions(): Promise<SessionSummary[]>
  /** A new drill of a kind, or of the kind the adaptive pick favours. */
  newDrill(args: { kind: DrillKind | 'adaptive' }): Promise<DrillInfo>
  drillInfo(args: { referenceId: string }): Promise<DrillInfo>
  /** A drill attempt's own figures (px, degrees, %) from its drawing as it stands; kept for trends. */
  drillFigures(args: { attemptId: string }): Promise<DrillMeasure | null>
  /** Practice per day in the person's time zone (minutes east of UTC), the goal and streak, drill trends. */
  practiceSummary(args: { utcOffsetMinutes: number; days?: number }): Promise<PracticeSummary>
  exportPack(args: { plan: SessionPlan }): Promise<ExportResult>
  importPack(args: ReferenceUpload): Promise<ImportedPack>
}

export const TRAINING_METHODS = [
  'startSession',
  'recordSessionDrawing',
  'finishSession',
  'getSession',
  'listSessions',
  'newDrill',
  'drillInfo',
  'drillFigures',
  'practiceSummary',
  'exportPack',
  'importPack'
] as const satisfies readonly (keyof TrainingApi)[]

export interface ProfilesApi {
  listProfiles(): Promise<Profiles>
  /** A new profile (its own history, library and settings); it is not switched to. */
  createProfile(args: { name: string }): Promise<Profile>
  renameProfile(args: { profileId: string; name: string }): Promise<Profile>
  /** Work as another profile from now on: the studio's services reopen on its data (reload the page after). */
  switchProfile(args: { profileId: string }): Promise<Profiles>
}

export const PROFILES_METHODS = [
  'listProfiles',
  'createProfile',
  'renameProfile',
  'switchProfile'
] as const satisfies readonly (keyof ProfilesApi)[]
