// `npm run bench:history [-- --attempts N --commits N --keep]`: the history store at scale.
// Generates N attempts (default 10,000) with realistic journals (strokes of tablet points, snapped
// to the point lattice as the studio snaps every stroke it is sent, undo/redo/clear, an evaluation
// after every op) and a thumbnail each in a temporary data folder, then measures what the targets
// are about:
//   - the history's size: bytes on disk per attempt of 30 strokes: target <= 50 KB;
//   - the history panel's first page (listAttempts through dispatch, thumbnails included),
//     right after the studio opens the history and warm: target <= 200 ms;
//   - one journal commit (appendJournal of a pen-up stroke) over >= 1000 commits: target
//     <= 1 ms median;
//   - the daily backup of the whole history, and how long the event loop waits meanwhile.
// The data folder is removed afterwards unless --keep.
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import sharp from 'sharp'
import { createStudio } from '#main/app.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { HistoryStore, type StoredReference } from '#main/history/store.ts'
import { makeBackup } from '#main/history/backups.ts'
import { snapStroke } from '#shared/stroke/snap.ts'
import type { Edit } from '#shared/edit-history/index.ts'
import type { Evaluation, ScoredEvaluation } from '#shared/contract/scores.ts'
import type { Stroke } from '#shared/stroke/types.ts'
import { encodeFrame } from '#shared/rpc/frame.ts'

const { values } = parseArgs({
  options: {
    attempts: { type: 'string', default: '10000' },
    commits: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false }
  }
})
const ATTEMPTS = Number(values.attempts)
const COMMITS = Number(values.commits)
if (!Number.isInteger(ATTEMPTS) || ATTEMPTS < 1 || !Number.isInteger(COMMITS) || COMMITS < 1000) {
  console.error('bench:history: --attempts must be a whole number >= 1 and --commits >= 1000')
  process.exit(2)
}

// ---- realistic data -------------------------------------------------------------------------

let state = Number(values.seed) >>> 0
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0
  let t = state
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
}
const between = (lo: number, hi: number): number => lo + (hi - lo) * random()
const int = (lo: number, hi: number): number => Math.floor(between(lo, hi + 1))

/** A pen stroke as a tablet reports it at ~240 Hz: a wandering curve, pressure swelling and fading. */
function penStroke(): Stroke {
  const n = int(20, 150)
  let x = between(50, 450)
  let y = between(50, 450)
  let heading = between(0, 2 * Math.PI)
  let t = 0
  const tiltX = int(-40, 40)
  const tiltY = int(-40, 40)
  const points = Array.from({ length: n }, (_, i) => {
    heading += between(-0.15, 0.15)
    x = Math.min(500, Math.max(0, x + Math.cos(heading) * between(0.5, 3)))
    y = Math.min(500, Math.max(0, y + Math.sin(heading) * between(0.5, 3)))
    t += between(3.9, 4.5)
    return { x, y, pressure: Math.fround(0.2 + 0.6 * Math.sin((Math.PI * i) / n)), tiltX, tiltY, t }
  })
  // As the renderer and the API snap it (src/shared/stroke/snap.ts).
  return snapStroke({ tool: random() < 0.92 ? 'pen' : 'eraser', size: int(2, 8), points })
}

function evaluation(top5: number): ScoredEvaluation {
  const grid = Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => between(0, top5 * 5)))
  return {
    status: 'scored',
    top5Error: top5,
    meanError: top5 * between(0.2, 0.5),
    topError: top5 * between(1, 1.5),
    referencePixels: 11000,
    drawingPixels: int(2000, 12000),
    grid,
    extraInk: { mean: between(0, 3), max: between(3, 20) },
    missedLines: { mean: between(0, 3), max: between(3, 20) },
    precision: random(),
    recall: random(),
    f1: random(),
    tolerancePx: 5,
    side: 500,
    worstCells: [0, 1, 2, 3, 4].map((i) => ({ row: i, col: int(0, 9), value: between(0, 40) }))
  }
}

const EMPTY: Evaluation = { status: 'empty', reason: 'no drawing yet', referencePixels: 11000, drawingPixels: 0 }

/** An attempt's ops: mostly strokes, some undo / redo, rarely a clear, valid under the replay rules. */
function attemptOps(): Edit[] {
  const ops: Edit[] = []
  let done = 0
  let undone = 0
  const count = int(10, 60)
  while (ops.length < count) {
    const r = random()
    if (r < 0.08 && done > 0) {
      ops.push({ kind: 'undo' })
      done--
      undone++
    } else if (r < 0.1 && undone > 0) {
      ops.push({ kind: 'redo' })
      done++
      undone--
    } else if (r < 0.11) {
      ops.push({ kind: 'clear' })
      done++
      undone = 0
    } else {
      ops.push({ kind: 'stroke', stroke: penStroke() })
      done++
      undone = 0
    }
  }
  return ops
}

async function thumbnails(count: number): Promise<Uint8Array[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const lines = Array.from(
        { length: 25 },
        () =>
          `<polyline points="${Array.from({ length: 8 }, () => `${int(0, 160)},${int(0, 160)}`).join(' ')}" stroke="#222" fill="none" stroke-width="1.5"/>`
      )
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160"><rect width="160" height="160" fill="#fff"/>${lines.join('')}</svg>`
      return new Uint8Array(await sharp(Buffer.from(svg)).greyscale().png({ palette: true, colours: 16 }).toBuffer())
    })
  )
}

// ---- measuring ------------------------------------------------------------------------------

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

function ms(x: number): string {
  return x < 1 ? `${x.toFixed(3)} ms` : `${x.toFixed(1)} ms`
}

/**
 * Bytes on disk per attempt of exactly 30 strokes (and the undo / redo / clear a session has), in
 * a history of 200 such attempts, finished, checkpointed: the file size over the attempt count.
 */
function bytesPerThirtyStrokeAttempt(): { perAttempt: number; points: number } {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-bench-size-'))
  try {
    const store = HistoryStore.open(dir)
    store.upsertReference({
      id: 'bundled:cube',
      name: 'cube',
      source: 'bundled',
      width: 1000,
      height: 800,
      inkSettings: { mode: 'threshold', threshold: 128 }
    })
    const empty = statSync(join(dir, 'history.sqlite')).size
    const ATTEMPTS = 200
    let points = 0
    for (let a = 0; a < ATTEMPTS; a++) {
      store.inOneCommit(() => {
        const { attemptId } = store.createAttempt({ referenceId: 'bundled:cube' })
        let strokes = 0
        let last: Evaluation = EMPTY
        for (let k = 0; strokes < 30; k++) {
          const op: Edit =
            k % 12 === 5 ? { kind: 'undo' } : k % 12 === 6 ? { kind: 'redo' } : { kind: 'stroke', stroke: penStroke() }
          if (op.kind === 'stroke') {
            strokes++
            points += op.stroke.points.length
          }
          last = evaluation(between(2, 20))
          store.appendJournal(attemptId, { op, evaluation: last, activeMs: 1000 * k })
        }
        store.finishAttempt(attemptId, { evaluation: last, activeMs: 60_000 })
      })
    }
    store.close()
    return {
      perAttempt: (statSync(join(dir, 'history.sqlite')).size - empty) / ATTEMPTS,
      points: points / ATTEMPTS / 30
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sightline-bench-history-'))
  try {
    const size = bytesPerThirtyStrokeAttempt()
    console.log(`generating ${ATTEMPTS} attempts in ${dataDir} ...`)
    const t0 = performance.now()
    const store = HistoryStore.open(dataDir)
    const references: StoredReference[] = [
      ...['cube', 'vase', 'still-life'].map((n): StoredReference => ({
        id: `bundled:${n}`,
        name: n,
        source: 'bundled',
        width: 1000,
        height: 800,
        inkSettings: { mode: 'threshold', threshold: 128 }
      })),
      ...Array.from({ length: 17 }, (_, i): StoredReference => ({
        id: `lib:${(0x1000 + i).toString(16).padStart(64, '0')}`,
        name: `Photo ${i + 1}.jpg`,
        source: 'library',
        width: 1200,
        height: 900,
        inkSettings: { mode: 'auto', threshold: 110 }
      }))
    ]
    for (const ref of references) store.upsertReference(ref)
    const thumbs = await thumbnails(24)
    const start = Date.UTC(2024, 0, 1)
    let journalRows = 0
    const BATCH = 250
    for (let b = 0; b < ATTEMPTS; b += BATCH) {
      const made = store.inOneCommit(() => {
        const ids: string[] = []
        for (let i = b; i < Math.min(ATTEMPTS, b + BATCH); i++) {
          const startedAt = start + i * 2 * 3_600_000 + int(0, 3_600_000)
          const { attemptId } = store.createAttempt({
            referenceId: references[int(0, references.length - 1)].id,
            startedAt: new Date(startedAt)
          })
          let top5 = between(4, 25)
          let active = 0
          let last: Evaluation = EMPTY
          for (const op of attemptOps()) {
            top5 = Math.max(0.5, top5 + between(-1, 0.6))
            active += int(500, 8000)
            last = op.kind === 'clear' ? EMPTY : evaluation(top5)
            store.appendJournal(attemptId, { op, evaluation: last, activeMs: active, at: new Date(startedAt + active) })
            journalRows++
          }
          // A few attempts stay unfinished (the app was closed mid-drawing); 1 % are deleted.
          if (i % 2000 !== 1999)
            store.finishAttempt(attemptId, {
              evaluation: last,
              activeMs: active,
              endedAt: new Date(startedAt + active + 1000)
            })
          if (i % 100 === 42) store.deleteAttempt(attemptId, new Date(startedAt + active + 2000))
          ids.push(attemptId)
        }
        return ids
      })
      for (const [k, id] of made.entries()) {
        const folder = store.attemptFolder(id)
        mkdirSync(folder, { recursive: true })
        writeFileSync(join(folder, 'thumb.png'), thumbs[(b + k) % thumbs.length])
      }
      if ((b / BATCH) % 8 === 7) process.stdout.write(`  ${b + BATCH} attempts\r`)
    }
    store.close()
    process.stdout.write('\n')
    const generated = performance.now() - t0
    const dbBytes = statSync(join(dataDir, 'history.sqlite')).size
    console.log(
      `generated ${ATTEMPTS} attempts, ${journalRows} journal rows, ${(dbBytes / 1e6).toFixed(0)} MB history.sqlite in ${(generated / 1000).toFixed(1)} s`
    )

    // Opening the store alone: migrations check and the start-up integrity check of the small tables.
    const tStore = performance.now()
    HistoryStore.open(dataDir).close()
    const storeOpenMs = performance.now() - tStore

    // The history panel: the studio starts (opening the history), then asks for the first page.
    const tOpen = performance.now()
    const studio = await createStudio({ shell: 'host', resourcesDir: defaultResourcesDir(), dataDir })
    const { api } = studio
    const openMs = performance.now() - tOpen
    const tFirst = performance.now()
    const first = await dispatch(api, 'listAttempts', {})
    const firstMs = performance.now() - tFirst
    if (!first.ok) throw new Error(`listAttempts failed: ${first.error.message}`)
    const page = first.value as { items: { thumbnailPng: Uint8Array | null }[]; total: number }
    const withThumbs = page.items.filter((a) => a.thumbnailPng !== null).length
    const tWire = performance.now()
    const wire = encodeFrame({ type: 'reply', id: 1, ...first })
    const wireMs = performance.now() - tWire
    const warm: number[] = []
    for (let i = 0; i < 30; i++) {
      const t = performance.now()
      await dispatch(api, 'listAttempts', {})
      warm.push(performance.now() - t)
    }
    warm.sort((a, b) => a - b)
    const tRef = performance.now()
    await dispatch(api, 'listAttempts', { referenceId: 'bundled:vase' })
    const byRefMs = performance.now() - tRef
    const tDeep = performance.now()
    await dispatch(api, 'listAttempts', { page: Math.floor(page.total / 50) - 1 })
    const deepMs = performance.now() - tDeep
    const tChart = performance.now()
    await dispatch(api, 'progressSeries', { referenceId: 'bundled:vase' })
    const chartMs = performance.now() - tChart

    const tExport = performance.now()
    const exported = await dispatch(api, 'exportHistory', { format: 'csv' })
    const exportMs = performance.now() - tExport
    const exportKiB = exported.ok ? (exported.value as { bytes: Uint8Array }).bytes.length / 1024 : 0
    const newest = (page.items[0] as unknown as { attemptId: string }).attemptId
    const tJournal = performance.now()
    const journal = await dispatch(api, 'attemptJournal', { attemptId: newest })
    const journalMs = performance.now() - tJournal
    const journalOps = journal.ok ? (journal.value as { entries: unknown[] }).entries.length : 0
    await studio.dispose()

    // Journal commits at pen-up, in the full database. Between commits the event loop runs, as
    // it does between strokes in the app, so the store's own WAL checkpoints happen there.
    const writer = HistoryStore.open(dataDir)
    const { attemptId } = writer.createAttempt({ referenceId: 'bundled:cube' })
    const commits: number[] = []
    let activeMs = 0
    for (let i = 0; i < COMMITS; i++) {
      const op: Edit = { kind: 'stroke', stroke: penStroke() }
      const ev = evaluation(between(2, 20))
      activeMs += 1500
      const t = performance.now()
      writer.appendJournal(attemptId, { op, evaluation: ev, activeMs })
      commits.push(performance.now() - t)
      await new Promise((resolve) => setImmediate(resolve))
    }
    writer.close()
    commits.sort((a, b) => a - b)

    // The daily backup of the whole history: off the event loop, which keeps ticking meanwhile.
    let longestWait = 0
    let lastTick = performance.now()
    const ticker = setInterval(() => {
      const now = performance.now()
      longestWait = Math.max(longestWait, now - lastTick)
      lastTick = now
    }, 5)
    const tBackup = performance.now()
    const backup = await makeBackup(join(dataDir, 'history.sqlite'), dataDir, new Date())
    const backupMs = performance.now() - tBackup
    clearInterval(ticker)

    const rows: [string, string, string][] = [
      [
        `history per attempt of 30 strokes (${size.points.toFixed(0)} points a stroke)`,
        `${(size.perAttempt / 1024).toFixed(1)} KB`,
        '<= 50 KB'
      ],
      [`history.sqlite for ${ATTEMPTS} attempts`, `${(dbBytes / 1e6).toFixed(0)} MB`, ''],
      [
        `daily backup (${(backup.bytes / 1e6).toFixed(0)} MB), event loop's longest wait`,
        `${ms(backupMs)}, ${ms(longestWait)}`,
        ''
      ],
      ['open the history store (checks included)', ms(storeOpenMs), ''],
      ['start the studio API (bundled references too)', ms(openMs), ''],
      [`first page, first call (${page.items.length} items, ${withThumbs} thumbnails)`, ms(firstMs), '<= 200 ms'],
      ['first page, warm median of 30', ms(quantile(warm, 0.5)), '<= 200 ms'],
      ['first page as a wire frame (host), encode', `${ms(wireMs)}, ${(wire.byteLength / 1024).toFixed(0)} KiB`, ''],
      ['first page of one reference', ms(byRefMs), ''],
      [`last page (page ${Math.floor(page.total / 50) - 1})`, ms(deepMs), ''],
      ['progress series of one reference', ms(chartMs), ''],
      [`export CSV of every attempt (${exportKiB.toFixed(0)} KiB)`, ms(exportMs), ''],
      [`journal of one attempt for replay (${journalOps} ops)`, ms(journalMs), ''],
      [`journal commit median (${COMMITS} strokes)`, ms(quantile(commits, 0.5)), '<= 1 ms'],
      ['journal commit p99', ms(quantile(commits, 0.99)), ''],
      ['journal commit max', ms(commits[commits.length - 1]), '']
    ]
    const w0 = Math.max(...rows.map((r) => r[0].length))
    const w1 = Math.max(...rows.map((r) => r[1].length))
    console.log(`\n${'measure'.padEnd(w0)}  ${'result'.padStart(w1)}  target`)
    for (const [name, value, target] of rows) console.log(`${name.padEnd(w0)}  ${value.padStart(w1)}  ${target}`)
    const pass =
      size.perAttempt <= 50 * 1024 && firstMs <= 200 && quantile(warm, 0.5) <= 200 && quantile(commits, 0.5) <= 1
    console.log(`\n${pass ? 'all targets met' : 'TARGET MISSED'}`)
    if (!pass) process.exitCode = 1
  } finally {
    if (values.keep) console.log(`kept ${dataDir}`)
    else rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
