import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JournalEntry } from '#shared/contract/history.ts'
import App from '#renderer/App.vue'
import HistoryPanel from '#renderer/features/history/HistoryPanel.vue'
import HistoryStatusNotice from '#renderer/features/history/HistoryStatusNotice.vue'
import { PAGE_SIZE, describeStatus, useHistoryStore } from '#renderer/stores/history.ts'
import { useReferencesStore } from '#renderer/stores/references.ts'
import { useViewStore } from '#renderer/stores/view.ts'
import { fakeApi, fakeEvaluation } from '#test/renderer/fake-api.ts'
import { fakeHistoryApi, summary, type FakeHistoryAttempt } from './history-fake-api.ts'

let wrapper: VueWrapper | null = null
const blobs = new Map<string, Blob>()

/** n attempts, one every 5 hours back from now, alternating references; every 5th has no score. */
function attempts(n: number): FakeHistoryAttempt[] {
  const now = Date.now()
  return Array.from({ length: n }, (_, i) =>
    summary(
      i,
      i % 3 === 0 ? 'bundled:vase' : 'bundled:cube',
      new Date(now - i * 5 * 3_600_000),
      i % 5 === 4 ? null : 5 + (i % 11) * 1.37
    )
  )
}

async function openPanel(list = attempts(7), pageSize = PAGE_SIZE) {
  const fake = fakeHistoryApi(list)
  const history = useHistoryStore()
  await history.connect(fake.api)
  history.pageSize = pageSize
  wrapper = mount(HistoryPanel, { attachTo: document.body })
  await flushPromises()
  return { w: wrapper, fake, history }
}
const ids = (w: VueWrapper) => w.findAll('[data-testid=history-item]').map((b) => b.attributes('data-attempt-id'))
const item = (w: VueWrapper, id: string) => w.get(`[data-testid=history-item][data-attempt-id="${id}"]`)
const sorted = (xs: (string | undefined)[]) => [...xs].sort()

describe('the history panel', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    let n = 0
    blobs.clear()
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      const url = `blob:h-${++n}`
      blobs.set(url, b as Blob)
      return url
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  it('lists the attempts newest first with thumbnails, times, strokes and scores (or "no score")', async () => {
    const list = attempts(7)
    const { w, fake } = await openPanel(list)
    expect(fake.calls).toContain(`list * 0 ${PAGE_SIZE}`)
    expect(sorted(ids(w))).toEqual(sorted(list.map((a) => a.attemptId)))
    // The newest is first in the list.
    expect(ids(w)[0]).toBe(list[0].attemptId)
    const first = item(w, list[0].attemptId)
    expect(first.find('[data-testid=history-thumb]').attributes('src')).toBe(
      `data:image/png;base64,${btoa(String.fromCharCode(...list[0].thumbnailPng!))}`
    )
    expect(first.find('[data-testid=history-score]').text()).toBe(`${list[0].top5Error!.toFixed(1)} %`)
    expect(first.text()).toContain('0:45 · 3 strokes')
    expect(item(w, list[4].attemptId).find('[data-testid=history-score]').text()).toBe('no score')
    // Grouped by day; within a day by reference, each with its name.
    const headings = w.findAll('.day h3').map((h) => h.text())
    expect(headings[0]).toMatch(/^Today/)
    expect(w.findAll('.day').length).toBeGreaterThanOrEqual(2)
    expect(w.findAll('.ref-group h4').map((h) => h.text())).toContain('Vase')
    expect(w.get('[data-testid=history-shown]').text()).toBe('7 of 7')
    expect(w.find('[data-testid=history-more]').exists()).toBe(false)
    // Filters: every reference with its count and best score.
    expect(w.get('[data-testid="history-filter-bundled:vase"]').text()).toContain('3 attempts')
  })

  it('marks a damaged attempt and lists the others as usual', async () => {
    const list = attempts(3)
    list[1] = { ...list[1], thumbnailPng: null, damaged: 'its thumbnail is not a PNG' }
    const { w } = await openPanel(list)
    expect(ids(w)).toHaveLength(3)
    const marked = item(w, list[1].attemptId)
    expect(marked.get('[data-testid=history-damaged]').attributes('title')).toBe('its thumbnail is not a PNG')
    expect(marked.attributes('aria-label')).toMatch(/damaged: its thumbnail is not a PNG$/)
    expect(item(w, list[0].attemptId).find('[data-testid=history-damaged]').exists()).toBe(false)
  })

  it('pages with "show more" until every attempt is shown', async () => {
    const list = attempts(12)
    const { w, fake } = await openPanel(list, 5)
    expect(ids(w)).toHaveLength(5)
    expect(w.get('[data-testid=history-shown]').text()).toBe('5 of 12')
    await w.get('[data-testid=history-more]').trigger('click')
    await flushPromises()
    await w.get('[data-testid=history-more]').trigger('click')
    await flushPromises()
    expect(fake.calls.filter((c) => c.startsWith('list'))).toEqual(['list * 0 5', 'list * 1 5', 'list * 2 5'])
    expect(sorted(ids(w))).toEqual(sorted(list.map((a) => a.attemptId)))
    expect(w.find('[data-testid=history-more]').exists()).toBe(false)
  })

  it('shows one reference’s attempts and its progress chart with the personal best', async () => {
    const list = attempts(9)
    const { w, fake } = await openPanel(list)
    await w.get('[data-testid="history-filter-bundled:cube"]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain(`list bundled:cube 0 ${PAGE_SIZE}`)
    expect(fake.calls).toContain('progress bundled:cube')
    // One reference: the list order is newest first.
    expect(ids(w)).toEqual(list.filter((a) => a.referenceId === 'bundled:cube').map((a) => a.attemptId))
    const best = Math.min(
      ...list.filter((a) => a.referenceId === 'bundled:cube' && a.top5Error !== null).map((a) => a.top5Error!)
    )
    expect(w.get('[data-testid=personal-best]').text()).toContain(`Personal best ${best.toFixed(1)} %`)
    // One reference: no per-reference headings within a day.
    expect(w.findAll('.ref-group h4')).toHaveLength(0)
    await w.get('[data-testid=history-filter-all]').trigger('click')
    await flushPromises()
    expect(ids(w)).toHaveLength(9)
    expect(w.find('[data-testid=progress-chart]').exists()).toBe(false)
  })

  it('deletes an attempt with an undo toast; undo puts it back in its place', async () => {
    const list = attempts(6)
    const { w, fake } = await openPanel(list)
    const victim = list[2].attemptId
    const before = ids(w)
    await item(w, victim).trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=attempt-details]').attributes('data-attempt-id')).toBe(victim)
    expect(w.get('[data-testid=details-drawing]').attributes('src')).toMatch(/^blob:/)
    expect(w.get('[data-testid=details-heatmap]').attributes('src')).toMatch(/^blob:/)
    await w.get('[data-testid=details-delete]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain(`delete ${victim}`)
    expect(w.find('[data-testid=attempt-details]').exists()).toBe(false)
    expect(ids(w)).toEqual(before.filter((id) => id !== victim))
    expect(w.get('[data-testid=history-toast]').text()).toContain('Attempt deleted.')
    expect(w.get('[data-testid=history-shown]').text()).toBe('5 of 5')
    await w.get('[data-testid=history-undo]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain(`restore ${victim}`)
    expect(ids(w)).toEqual(before)
    expect(w.find('[data-testid=history-toast]').exists()).toBe(false)
    expect(w.get('[data-testid=history-shown]').text()).toBe('6 of 6')
  })

  it('lets the toast go after a while; the attempt stays deleted', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const list = attempts(3)
    const { w } = await openPanel(list)
    await w.findAll('[data-testid=history-item]')[0].trigger('click')
    await flushPromises()
    await w.get('[data-testid=details-delete]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid=history-toast]').exists()).toBe(true)
    vi.advanceTimersByTime(10_001)
    await flushPromises()
    expect(w.find('[data-testid=history-toast]').exists()).toBe(false)
    expect(ids(w)).toHaveLength(2)
  })

  it('exports the history as a CSV download', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    const list = attempts(3)
    const { w, fake } = await openPanel(list)
    await w.get('[data-testid=history-export-csv]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain('export csv *')
    expect(click).toHaveBeenCalledTimes(1)
    const a = click.mock.instances[0] as unknown as HTMLAnchorElement
    expect(a.download).toBe('sightline-history.csv')
    const text = await blobs.get(a.href)!.text()
    expect(text.split('\n')).toHaveLength(4)
    expect(text).toContain(list[0].attemptId)
    expect(w.get('[data-testid=history-export-note]').text()).toBe('Downloaded sightline-history.csv')
  })

  it('says why when the history cannot be read', async () => {
    const fake = fakeHistoryApi([])
    fake.api.listAttempts = async () => {
      throw new Error('the history in /data is not open: disk full')
    }
    await useHistoryStore().connect(fake.api)
    wrapper = mount(HistoryPanel, { attachTo: document.body })
    await flushPromises()
    expect(wrapper.get('[data-testid=history-error]').text()).toBe('the history in /data is not open: disk full')
  })

  it('replays an attempt step by step with the score after each step', async () => {
    const list = attempts(2)
    const line = (y: number) => ({
      tool: 'pen' as const,
      size: 3,
      points: [0, 1, 2, 3].map((i) => ({ x: 50 + i * 40, y, pressure: 0.5, tiltX: 0, tiltY: 0, t: i * 8 }))
    })
    const ops = [
      { kind: 'stroke' as const, stroke: line(100) },
      { kind: 'stroke' as const, stroke: line(200) },
      { kind: 'undo' as const },
      { kind: 'clear' as const }
    ]
    list[0].entries = ops.map((op, i): JournalEntry => {
      const drawn = ops.slice(0, i + 1).filter((o) => o.kind !== 'undo')
      const cursor = i === 2 ? 1 : drawn.length
      return {
        seq: i + 1,
        op,
        evaluation: fakeEvaluation(drawn as never, op.kind === 'clear' ? 0 : cursor),
        activeMs: i * 1000,
        at: new Date().toISOString()
      }
    })
    const { w } = await openPanel(list)
    await item(w, list[0].attemptId).trigger('click')
    await flushPromises()
    await w.get('[data-testid=details-replay]').trigger('click')
    await flushPromises()
    const replay = () => w.get('[data-testid=replay]')
    expect(replay().attributes('data-total')).toBe('4')
    expect(w.get('[data-testid=replay-position]').text()).toBe('0 / 4')
    expect(w.get('[data-testid=replay-score]').text()).toBe('–')
    const scores: string[] = []
    for (let k = 0; k < 4; k++) {
      await w.get('[data-testid=replay-step-forward]').trigger('click')
      await flushPromises()
      scores.push(w.get('[data-testid=replay-score]').text())
    }
    const expected = list[0].entries.map((e) =>
      e.evaluation.status === 'scored' ? `${e.evaluation.top5Error.toFixed(1)} %` : 'no score'
    )
    expect(scores).toEqual(expected)
    expect(replay().attributes('data-done')).toBe('true')
    await w.get('[data-testid=replay-step-back]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=replay-position]').text()).toBe('3 / 4')
    await w.get('[data-testid=replay-start]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=replay-position]').text()).toBe('0 / 4')
  })

  it('says when a journal cannot be replayed', async () => {
    const list = attempts(1)
    list[0].entries = [
      { seq: 1, op: { kind: 'undo' }, evaluation: fakeEvaluation([], 0), activeMs: 0, at: new Date().toISOString() }
    ]
    const { w } = await openPanel(list)
    await w.findAll('[data-testid=history-item]')[0].trigger('click')
    await flushPromises()
    await w.get('[data-testid=details-replay]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid=replay-error]').text()).toBe(
      'This attempt cannot be replayed: journal entry 1 undoes with nothing to undo'
    )
  })
})

describe('the history’s start-up notice', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
  })

  it('says nothing when the history is fine', () => {
    expect(describeStatus({ state: 'ready', dataDir: '/d', recovered: null })).toBeNull()
    expect(describeStatus(null)).toBeNull()
  })

  it('names the damaged file set aside, or why the history cannot be used', () => {
    const recovered = {
      kind: 'set-aside' as const,
      reason: 'file is not a database',
      movedTo: '/d/history.corrupt-2025.sqlite',
      at: '2025-01-01T00:00:00.000Z',
      backup: null
    }
    expect(describeStatus({ state: 'ready', dataDir: '/d', recovered })).toBe(
      'The history file was damaged (file is not a database) and was set aside as /d/history.corrupt-2025.sqlite; a new, empty history was started.'
    )
    const lost = {
      kind: 'lost-changes' as const,
      reason: 'its -wal file, which held the latest changes, was missing: 12 changes to the history are not in it',
      movedTo: null,
      at: '2025-01-01T00:00:00.000Z',
      backup: { name: 'history-2024-12-31T08-00-00-000Z.sqlite', at: '2024-12-31T08:00:00.000Z', attempts: 7, bytes: 9 }
    }
    expect(describeStatus({ state: 'ready', dataDir: '/d', recovered: lost })).toMatch(
      /^The history is missing recent changes: its -wal file, which held the latest changes, was missing: 12 changes to the history are not in it\. A backup of .*2024.* can be restored\.$/
    )
    expect(describeStatus({ state: 'unavailable', dataDir: '/d', problem: 'the disk is full', recovered: null })).toBe(
      'The history cannot be used: the disk is full. You can draw as usual, but attempts are not kept in the history.'
    )
  })

  it('offers the backup, restores it on request and says what came of it', async () => {
    const backup = {
      name: 'history-2024-12-31T08-00-00-000Z.sqlite',
      at: '2024-12-31T08:00:00.000Z',
      attempts: 2,
      bytes: 9
    }
    const fake = fakeHistoryApi(
      [0, 1, 2, 3].map((i) => summary(i, 'bundled:cube', new Date(Date.UTC(2025, 0, 1, i)))),
      {
        backups: [backup],
        status: {
          state: 'ready',
          dataDir: '/d',
          recovered: { kind: 'set-aside', reason: 'x', movedTo: '/d/h.sqlite', at: '2025-01-01T00:00:00.000Z', backup }
        }
      }
    )
    await useHistoryStore().connect(fake.api)
    wrapper = mount(HistoryStatusNotice)
    await wrapper.get('[data-testid=history-status-restore]').trigger('click')
    await flushPromises()
    expect(fake.calls).toContain(`restore ${backup.name}`)
    expect(wrapper.get('[data-testid=history-status]').text()).toMatch(
      /The history was restored from the backup of .*\(2 attempts\)\. The history it replaced is kept as \/data\/history\.replaced-x\.sqlite\./
    )
    expect(wrapper.find('[data-testid=history-status-restore]').exists()).toBe(false)
    expect(fake.attempts).toHaveLength(2)
  })

  it('shows it once, until dismissed', async () => {
    const fake = fakeHistoryApi([], {
      status: { state: 'unavailable', dataDir: '/d', problem: 'read-only folder /d', recovered: null }
    })
    await useHistoryStore().connect(fake.api)
    wrapper = mount(HistoryStatusNotice)
    expect(wrapper.get('[data-testid=history-status]').text()).toContain('read-only folder /d')
    expect(wrapper.get('[data-testid=history-status]').attributes('role')).toBe('alert')
    await wrapper.get('[data-testid=history-status-dismiss]').trigger('click')
    expect(wrapper.find('[data-testid=history-status]').exists()).toBe(false)
    expect(fake.calls.filter((c) => c === 'status')).toHaveLength(1)
  })
})

describe('opening the history from the studio', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => 'blob:x')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
  })
  afterEach(() => {
    wrapper?.unmount()
    wrapper = null
    vi.restoreAllMocks()
  })

  it('opens with H or the toolbar button, and drawing state is left alone', async () => {
    const studioFake = fakeApi()
    const history = fakeHistoryApi(attempts(2))
    wrapper = mount(App, { attachTo: document.body })
    await useReferencesStore().connect(studioFake.api)
    await useHistoryStore().connect(history.api)
    await flushPromises()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'h', bubbles: true, cancelable: true }))
    await flushPromises()
    expect(useViewStore().dialog).toBe('history')
    expect(wrapper.findAll('[data-testid=history-item]')).toHaveLength(2)
    await wrapper.get('[data-testid=history-close]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=history]').exists()).toBe(false)
    await wrapper.get('[data-testid=show-history]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid=history]').exists()).toBe(true)
    expect(studioFake.calls).toEqual(['resume', 'start bundled:cube'])
  })
})
