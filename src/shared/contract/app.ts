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

export interface AppApi {
  appInfo(): Promise<AppInfo>
}

export const APP_METHODS = ['appInfo'] as const satisfies readonly (keyof AppApi)[]
