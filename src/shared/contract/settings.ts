// The studio's settings: what a person chooses once and expects to find again next time, kept in
// the data folder by the main side (settings.json) and read by every window. Each area adds its
// own group here; a group is replaced field by field, never as a whole, so a patch carries only
// what changed.
import type { PressureCurve } from '../stroke/pressure.ts'
import type { Tool } from '../stroke/types.ts'
import { DEFAULT_FRAME_LONGEST_SIDE, type FrameLongestSide } from '../frame.ts'

export type ThemeChoice = 'system' | 'light' | 'dark'

/**
 * How much the studio tells while drawing: the score live after every stroke; the score hidden
 * until Evaluate; or memory drawing (the reference shown for a while, then hidden with the score
 * until Evaluate). Constant feedback can become a crutch (the guidance effect), hence the choice.
 */
export type FeedbackMode = 'live' | 'on-evaluate' | 'memory'

export const FEEDBACK_MODES: readonly FeedbackMode[] = ['live', 'on-evaluate', 'memory']

/** How long memory drawing shows the reference, in seconds. */
export const MEMORY_SECONDS_CHOICES = [10, 20, 30, 60, 120] as const

/** What the pen's barrel button does while held: erase, or nothing (the pen draws as usual). */
export type BarrelButton = 'eraser' | 'nothing'

export interface PenSettings {
  /** How pen pressure becomes line width (soft: light touches give more; firm: press harder). */
  pressureCurve: PressureCurve
  barrelButton: BarrelButton
}

/**
 * Linux only, read by the desktop app before it starts: 'auto' runs natively under Wayland when
 * the session is Wayland (pen pressure works there; under XWayland a pen is a mouse) and under X11
 * otherwise; 'x11' always uses X11 (XWayland on a Wayland session). Takes effect at the next start.
 */
export type DisplayServer = 'auto' | 'x11'

export interface Settings {
  /** Who draws. '' until the person gives one. */
  name: string
  /** Light, dark, or whatever the system uses. */
  theme: ThemeChoice
  /** The size each tool had when last used, in frame pixels (one of TOOL_SIZES). */
  toolSizes: Record<Tool, number>
  feedback: {
    mode: FeedbackMode
    /** Memory drawing: seconds the reference is shown (one of MEMORY_SECONDS_CHOICES). */
    memorySeconds: number
    /** At pen-up, tint the stroke by its own error and show the change of the score (live mode). */
    strokeFeedback: boolean
  }
  /** The evaluation frame of new attempts: the reference's aspect ratio with this longest side. */
  frame: { longestSide: FrameLongestSide }
  /** The drawing timer pauses after this many seconds without pen or mouse input; 0 never. */
  timer: { idlePauseSeconds: number }
  pen: PenSettings
  displayServer: DisplayServer
  training: TrainingSettings
}

export interface TrainingSettings {
  /** Minutes of drawing a day that count towards the streak. */
  dailyGoalMinutes: number
  /**
   * How fast a session's clock runs against real time: 1 is real time; smaller makes every
   * timed drawing (and study time) that much shorter, for demonstrations and tests.
   */
  sessionTimeScale: number
}

export const TRAINING_LIMITS = { maxGoalMinutes: 600, minTimeScale: 0.001 } as const

/** Only what changes: top-level fields, and groups field by field. */
export type SettingsPatch = {
  [K in keyof Settings]?: Settings[K] extends readonly unknown[]
    ? Settings[K]
    : Settings[K] extends object
      ? Partial<Settings[K]>
      : Settings[K]
}

export const MAX_NAME_LENGTH = 80

/** The idle pauses on offer, in seconds (0: the timer never pauses for idleness). */
export const IDLE_PAUSE_CHOICES = [0, 15, 30, 60, 120] as const
export const DEFAULT_IDLE_PAUSE_SECONDS = 30

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  name: '',
  theme: 'system',
  toolSizes: Object.freeze({ pen: 3, eraser: 16 }),
  feedback: Object.freeze({ mode: 'live', memorySeconds: 30, strokeFeedback: true }),
  frame: Object.freeze({ longestSide: DEFAULT_FRAME_LONGEST_SIDE }),
  timer: Object.freeze({ idlePauseSeconds: DEFAULT_IDLE_PAUSE_SECONDS }),
  pen: Object.freeze({ pressureCurve: 'linear', barrelButton: 'eraser' }),
  displayServer: 'auto',
  training: Object.freeze({ dailyGoalMinutes: 15, sessionTimeScale: 1 })
}) as Settings

export interface SettingsApi {
  getSettings(): Promise<Settings>
  /** Applies the patch, saves, and answers with the whole settings as they now are. */
  updateSettings(patch: SettingsPatch): Promise<Settings>
}

export const SETTINGS_METHODS = ['getSettings', 'updateSettings'] as const satisfies readonly (keyof SettingsApi)[]

/** Settings with a patch applied (groups merged field by field). Pure; the caller validates. */
export function applySettingsPatch(settings: Settings, patch: SettingsPatch): Settings {
  const next: Record<string, unknown> = { ...settings }
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue
    const current = next[key]
    const isGroup = typeof current === 'object' && current !== null && !Array.isArray(current)
    next[key] = isGroup ? { ...current, ...(value as object) } : value
  }
  return next as unknown as Settings
}
