// What the tablet check measures, from pointer samples: the pen's pressure range, tilt, buttons,
// samples per second and coalesced samples per event, whether an eraser end and a barrel button
// were seen, and whether pressure works; and, when it does not, the fix for this system. Pure: the
// component (TabletCheck.vue) feeds it events and shows what it says.
import { isPlaceholderPressure } from '#shared/stroke/pressure.ts'

/** The parts of a pointer event (or a coalesced sample) the check reads. */
export interface TabletSample {
  pointerType: string
  pressure: number
  tiltX: number
  tiltY: number
  buttons: number
  timeStamp: number
}

export type PressureVerdict =
  /** No pen has touched the pad yet (a mouse or finger says nothing about a pen). */
  | 'no-pen'
  /** A pen touched, but too little to tell. */
  | 'waiting'
  /** The pen's pressure varies: it works. */
  | 'working'
  /** Many samples, all the same value a pressure-less device reports. */
  | 'missing'

export type SystemKind = 'windows' | 'mac' | 'linux' | 'other'

/** How many touching pen samples, all one placeholder value, mean pressure is missing. */
export const MISSING_AFTER = 40
const RATE_WINDOW_MS = 1000
const EVENTS_KEPT = 30

const ERASER = 32
const BARREL = 2

export class TabletStats {
  pointerType = ''
  pressure = 0
  tiltX = 0
  tiltY = 0
  buttons = 0
  eraserSeen = false
  barrelSeen = false
  /** Pressures of the pen while touching, newest last (for the graph). */
  readonly history: number[] = []
  private readonly times: number[] = []
  private readonly perEvent: number[] = []
  private contact = 0
  private first: number | null = null
  private varied = false
  private minP = Infinity
  private maxP = -Infinity

  private readonly keep: number

  /** `keep`: how many pressures the graph shows. */
  constructor(keep = 240) {
    this.keep = keep
  }

  /** One event and its coalesced samples (the event itself when it has none). */
  event(event: TabletSample, coalesced: readonly TabletSample[] = []): void {
    const samples = coalesced.length > 0 ? coalesced : [event]
    this.perEvent.push(samples.length)
    if (this.perEvent.length > EVENTS_KEPT) this.perEvent.shift()
    for (const s of samples) this.sample(s)
  }

  private sample(s: TabletSample): void {
    this.pointerType = s.pointerType
    this.pressure = Number.isFinite(s.pressure) ? s.pressure : 0
    this.tiltX = Number.isFinite(s.tiltX) ? s.tiltX : 0
    this.tiltY = Number.isFinite(s.tiltY) ? s.tiltY : 0
    this.buttons = s.buttons
    this.times.push(s.timeStamp)
    while (this.times.length > 0 && this.times[0] < s.timeStamp - RATE_WINDOW_MS) this.times.shift()
    if (s.pointerType !== 'pen') return
    if (s.buttons & ERASER) this.eraserSeen = true
    if (s.buttons & BARREL) this.barrelSeen = true
    if (s.buttons === 0) return // hovering
    this.contact++
    const p = this.pressure
    if (this.first === null) this.first = p
    else if (p !== this.first) this.varied = true
    this.minP = Math.min(this.minP, p)
    this.maxP = Math.max(this.maxP, p)
    this.history.push(p)
    if (this.history.length > this.keep) this.history.shift()
  }

  /** Samples in the last second, counted back from the newest. */
  get samplesPerSecond(): number {
    return this.times.length < 2 ? 0 : this.times.length
  }

  /** Samples each pointer event carried, on average over the last events. */
  get samplesPerEvent(): number {
    return this.perEvent.length === 0 ? 0 : this.perEvent.reduce((a, b) => a + b, 0) / this.perEvent.length
  }

  /** The lightest and firmest touch seen, or null before any. */
  get range(): { min: number; max: number } | null {
    return this.contact === 0 ? null : { min: this.minP, max: this.maxP }
  }

  get verdict(): PressureVerdict {
    if (this.contact === 0) return 'no-pen'
    if (this.varied || (this.first !== null && !isPlaceholderPressure(this.first))) return 'working'
    return this.contact >= MISSING_AFTER ? 'missing' : 'waiting'
  }
}

/** The system a user agent string names. */
export function systemOf(userAgent: string): SystemKind {
  if (/Windows/i.test(userAgent)) return 'windows'
  if (/Mac OS X|Macintosh/i.test(userAgent)) return 'mac'
  if (/Linux|X11|CrOS/i.test(userAgent)) return 'linux'
  return 'other'
}

/** What to do when a pen's pressure is missing, for this system (and whether this is the desktop app). */
export function pressureFix(system: SystemKind, desktop: boolean): string {
  switch (system) {
    case 'windows':
      return (
        'Turn on Windows Ink for this app in the tablet driver (Wacom: Wacom Tablet Properties, Mapping, ' +
        '“Use Windows Ink”; XP-Pen and Huion: the “Windows Ink” box in the driver), then restart the app. ' +
        'Without it the pen arrives as a mouse with no pressure.'
      )
    case 'linux':
      return desktop
        ? 'Run the app natively under Wayland: Settings, Display server, Automatic, then restart it. Under ' +
            'XWayland (Display server: X11) a pen arrives as a mouse with no pressure. On an X11 session, ' +
            'check that the tablet driver (libinput or xf86-input-wacom) sees the pen.'
        : 'Start the browser natively under Wayland (Chromium: --ozone-platform-hint=auto); under XWayland a ' +
            'pen arrives as a mouse with no pressure.'
    case 'mac':
      return (
        'Allow the tablet driver in System Settings, Privacy & Security, Accessibility (and Input Monitoring), ' +
        'then restart the driver and the app.'
      )
    case 'other':
      return 'Check that the tablet driver is installed and sends pen pressure to applications.'
  }
}

/** The pressed buttons, in words: "tip", "barrel", "eraser", ... */
export function buttonNames(buttons: number, pointerType: string): string[] {
  const names: string[] = []
  if (buttons & 1) names.push(pointerType === 'pen' ? 'tip' : 'primary')
  if (buttons & BARREL) names.push(pointerType === 'pen' ? 'barrel' : 'secondary')
  if (buttons & 4) names.push('middle')
  if (buttons & ERASER) names.push('eraser')
  return names
}
