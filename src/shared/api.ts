// The one contract between the studio (renderer) and the main-side services. Three transports
// carry it: Electron IPC (preload), the Node host's WebSocket, and direct calls in tests.
// Every method takes at most one plain-object argument and returns a Promise of plain data
// (Uint8Array allowed), so each transport can carry it unchanged.

export interface AppInfo {
  name: string
  version: string
  /** Which transport the main side is serving: the desktop app or the Node host. */
  shell: 'electron' | 'host'
  /** The evaluation frame every reference is fitted into (spec section 1). */
  frame: FrameSize
}

export interface FrameSize {
  width: number
  height: number
}

export type ReferenceSource = 'bundled' | 'library'

export interface ReferenceSummary {
  id: string
  name: string
  source: ReferenceSource
  /** Size of the original image in pixels. */
  width: number
  height: number
}

export interface ReferenceImage {
  id: string
  /** The reference fitted into the frame ("contain", centred, white padding): what is scored. */
  width: number
  height: number
  png: Uint8Array
}

export interface StudioApi {
  appInfo(): Promise<AppInfo>
  listReferences(): Promise<ReferenceSummary[]>
  getReferenceImage(args: { id: string }): Promise<ReferenceImage>
}

export type ApiMethod = keyof StudioApi

/** The methods in one list, so the preload and the host client can expose exactly these. */
export const API_METHODS = ['appInfo', 'listReferences', 'getReferenceImage'] as const satisfies readonly ApiMethod[]

type MissingMethods = Exclude<ApiMethod, (typeof API_METHODS)[number]>
// Compile-time check that API_METHODS lists every method of StudioApi.
export const API_METHODS_COMPLETE: MissingMethods extends never ? true : never = true

export type ApiArg<M extends ApiMethod> = Parameters<StudioApi[M]> extends [infer A] ? A : undefined
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<StudioApi[M]>>
