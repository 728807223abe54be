import type { SightlineBridge } from '#shared/contract/bridge.ts'

declare global {
  interface Window {
    /** Present only inside the Electron app; the Node host serves the same API over WebSocket. */
    sightline?: SightlineBridge
  }
}

export {}
