import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppApi, StudioClaim } from '#shared/contract/app.ts'

/**
 * This tab's id: kept in sessionStorage, so a reload is the same window (it holds the studio as
 * before), while another tab or window has its own.
 */
function tabId(): string {
  const KEY = 'sightline-window-id'
  try {
    const kept = sessionStorage.getItem(KEY)
    if (kept && /^[0-9a-f-]{36}$/.test(kept)) return kept
    const id = crypto.randomUUID()
    sessionStorage.setItem(KEY, id)
    return id
  } catch {
    return crypto.randomUUID()
  }
}

/** How often the window holding the studio says it is still there. */
export const HEARTBEAT_MS = 3000

/**
 * This window and the studio: whether it holds it (claimStudio), is waiting because another tab
 * or window does, or lost it to one. While it holds it, a heartbeat every few seconds, and one at
 * once when the window comes back into view, finds out if another window took over.
 */
export const usePresenceStore = defineStore('presence', () => {
  const windowId = tabId()
  const state = ref<StudioClaim['state'] | 'unknown'>('unknown')
  let api: Pick<AppApi, 'claimStudio' | 'studioHeartbeat' | 'releaseStudio'> | null = null
  let timer: ReturnType<typeof setInterval> | null = null

  function connect(appApi: Pick<AppApi, 'claimStudio' | 'studioHeartbeat' | 'releaseStudio'>): void {
    api = appApi
  }

  /** Hold the studio here (taking it from another window if asked to); true when it does. */
  async function claim(takeOver: boolean): Promise<boolean> {
    if (!api) return true
    try {
      state.value = (await api.claimStudio({ windowId, takeOver })).state
    } catch {
      // An older main side, or a failure to ask: draw here as before.
      state.value = 'yours'
    }
    if (state.value === 'yours') beat()
    return state.value === 'yours'
  }

  async function heartbeat(): Promise<void> {
    if (!api || state.value !== 'yours') return
    try {
      const answer = await api.studioHeartbeat({ windowId })
      if (state.value === 'yours') state.value = answer.state
    } catch {
      // The main side is restarting or unreachable: the next beat asks again.
    }
    if (state.value !== 'yours') stop()
  }

  function beat(): void {
    stop()
    timer = setInterval(() => void heartbeat(), HEARTBEAT_MS)
  }
  function stop(): void {
    if (timer) clearInterval(timer)
    timer = null
  }

  /** The page is going away: the studio is free for another window at once. */
  function release(): void {
    stop()
    if (api && state.value === 'yours') void api.releaseStudio({ windowId }).catch(() => undefined)
  }

  return { windowId, state, connect, claim, heartbeat, release }
})
