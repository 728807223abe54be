// Training sessions: a plan (which references, in what order, how long each, copying or drawing
// from memory), as a person sets one up or an assignment pack carries it.

/** Copy: the reference stays in view. Memory: study it for a while, then draw with it hidden. */
export type DrawingMode = 'copy' | 'memory'

export type SessionOrder = 'listed' | 'random'

export interface SessionItem {
  /** `bundled:<name>`, `lib:<sha256>` or `drill:<kind>:<seed>`. */
  referenceId: string
  /** This drawing's time, overriding the plan's schedule. */
  seconds?: number
}

export interface SessionPlan {
  title: string
  mode: DrawingMode
  /** Memory mode: how long the reference is shown before it hides. */
  studySeconds: number
  order: SessionOrder
  /** How many drawings (the items are taken in order or at random, round again if fewer). */
  count: number
  /**
   * Time per drawing: one value for all, or a mixed schedule taken in turn (e.g. 30, 30, 60, 300).
   * An item's own `seconds` wins.
   */
  seconds: number[]
  items: SessionItem[]
}

/** The limits a plan keeps to (checked in main, and in an imported pack). */
export const SESSION_LIMITS = {
  minSeconds: 30,
  maxSeconds: 20 * 60,
  minStudySeconds: 1,
  maxStudySeconds: 10 * 60,
  maxCount: 200,
  maxItems: 200,
  maxSchedule: 50,
  maxTitle: 120
} as const
