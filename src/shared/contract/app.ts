export interface FrameSize {
  width: number
  height: number
}

export interface AppInfo {
  name: string
  version: string
  /** Which transport the main side is serving: the desktop app or the Node host. */
  shell: 'electron' | 'host'
}

/**
 * Who draws: one window (browser tab or desktop window) at a time holds the studio, so two never
 * draw into the same attempt. `yours`: this window holds it; `elsewhere`: another one does (it may
 * take over); `taken-over`: this window held it and another one took it.
 */
export type StudioClaim = { state: 'yours' } | { state: 'elsewhere' } | { state: 'taken-over' }

export interface AppApi {
  appInfo(): Promise<AppInfo>
  /**
   * Hold the studio in this window. Another window that holds it and was seen lately keeps it
   * (the answer is `elsewhere`) unless `takeOver`; then it is told `taken-over` at its next heartbeat
   * and its edits are refused.
   */
  claimStudio(args: { windowId: string; takeOver: boolean }): Promise<StudioClaim>
  /** The holder says it is still there, every few seconds; the answer says whether it still holds the studio. */
  studioHeartbeat(args: { windowId: string }): Promise<StudioClaim>
  /** The window is closing: the studio is free at once. */
  releaseStudio(args: { windowId: string }): Promise<void>
}

export const APP_METHODS = [
  'appInfo',
  'claimStudio',
  'studioHeartbeat',
  'releaseStudio'
] as const satisfies readonly (keyof AppApi)[]
