import { afterEach, describe, expect, it } from 'vitest'
import { addedStrokes, referenceMask } from '#main/evaluator/pixel-log.ts'
import {
  EvaluatorSupervisor,
  type EvaluatorLauncher,
  type EvaluatorChannel
} from '#main/evaluator/process/supervisor.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import type { EvaluatorState } from '#main/evaluator/process/protocol.ts'
import { seedSession } from '#test/helpers/pixel-logs.ts'

/** A launcher that remembers its ports, so a test can kill the running process. */
function tracked(launch: EvaluatorLauncher): { launch: EvaluatorLauncher; channels: EvaluatorChannel[] } {
  const channels: EvaluatorChannel[] = []
  return {
    channels,
    launch: () => {
      const c = launch()
      channels.push(c)
      return c
    }
  }
}

const supervisors: EvaluatorSupervisor[] = []
function supervisor(launch: EvaluatorLauncher, options = {}): EvaluatorSupervisor {
  const s = new EvaluatorSupervisor(launch, options)
  supervisors.push(s)
  return s
}
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.dispose()))
})

type Step = { kind: 'add' | 'erase'; pixels: Int32Array } | { kind: 'undo' | 'redo' }

/** 100 strokes of the seed session with some erasing, undoing and redoing mixed in. */
function hundredStrokeSession(): { mask: Uint8Array; steps: Step[] } {
  const { log } = seedSession()
  const strokes = addedStrokes(log).slice(0, 100)
  const steps: Step[] = []
  strokes.forEach((pixels, i) => {
    steps.push({ kind: 'add', pixels })
    if (i % 17 === 16) steps.push({ kind: 'undo' }, { kind: 'undo' }, { kind: 'redo' })
    if (i % 23 === 22) steps.push({ kind: 'erase', pixels: strokes[i - 3].subarray(0, 5) })
  })
  return { mask: referenceMask(log), steps }
}

function run(s: EvaluatorSupervisor, step: Step): Promise<EvaluatorState> {
  return step.kind === 'add'
    ? s.add('a', step.pixels)
    : step.kind === 'erase'
      ? s.erase('a', step.pixels)
      : step.kind === 'undo'
        ? s.undo('a')
        : s.redo('a')
}

describe('evaluator supervisor with a real worker process', () => {
  it('survives the process being killed mid-session: same scores, no stroke lost', async () => {
    const { mask, steps } = hundredStrokeSession()
    const reference = supervisor(inProcessLauncher())
    const worker = tracked(workerLauncher())
    const crashy = supervisor(worker.launch)
    await reference.open('a', { width: 500, height: 500, reference: mask })
    await crashy.open('a', { width: 500, height: 500, reference: mask })

    const expected: EvaluatorState[] = []
    for (const step of steps) expected.push(await run(reference, step))

    const got: EvaluatorState[] = []
    for (let i = 0; i < steps.length; i++) {
      if (i === 40) {
        // Killed between two requests...
        await worker.channels.at(-1)!.close()
      }
      if (i === 80) {
        // ...and while three requests are in flight.
        const inflight = [run(crashy, steps[i]), run(crashy, steps[i + 1]), run(crashy, steps[i + 2])]
        void worker.channels.at(-1)!.close()
        got.push(...(await Promise.all(inflight)))
        i += 2
        continue
      }
      got.push(await run(crashy, steps[i]))
    }
    expect(crashy.restarts).toBe(2)
    expect(worker.channels.length).toBe(3)
    expect(got).toEqual(expected)
    expect(await crashy.errorField('a')).toEqual(await reference.errorField('a'))
  })

  it('restarts a process that stops answering', async () => {
    const inner = inProcessLauncher()
    let launches = 0
    // The first process swallows every request, as a hung one would.
    const launch: EvaluatorLauncher = () => {
      const c = inner()
      return launches++ === 0 ? { ...c, send: () => {} } : c
    }
    const s = supervisor(launch, { requestTimeoutMs: 200 })
    const mask = new Uint8Array(64 * 64)
    mask[100] = 1
    const state = await s.open('a', { width: 64, height: 64, reference: mask })
    expect(state.evaluation).toMatchObject({ status: 'empty', referencePixels: 1 })
    expect(s.restarts).toBe(1)
    const after = await s.add('a', Int32Array.of(101))
    expect(after.evaluation).toMatchObject({ status: 'scored', drawingPixels: 1 })
  })

  it('gives up with a clear error when the process keeps dying', async () => {
    const dying: EvaluatorLauncher = () => {
      const exits: ((r: string) => void)[] = []
      return {
        send: () => queueMicrotask(() => exits.forEach((l) => l('exit code 134'))),
        onMessage: () => {},
        onClose: (l) => void exits.push(l),
        close: async () => {}
      }
    }
    const s = supervisor(dying, { maxRestarts: 2 })
    const mask = new Uint8Array(64 * 64).fill(1)
    await expect(s.open('a', { width: 64, height: 64, reference: mask })).rejects.toMatchObject({
      code: 'evaluator',
      message: expect.stringContaining('keeps failing (the evaluation process ended (exit code 134))')
    })
    await expect(s.scores('a')).rejects.toMatchObject({ code: 'evaluator' })
  })

  it('refuses bad edits without putting them in the journal', async () => {
    const worker = tracked(workerLauncher())
    const s = supervisor(worker.launch)
    const mask = new Uint8Array(64 * 64)
    mask[5] = 1
    await s.open('a', { width: 64, height: 64, reference: mask })
    await s.add('a', Int32Array.of(6))
    await expect(s.add('a', Int32Array.of(64 * 64))).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('outside the 64 x 64 frame')
    })
    await worker.channels.at(-1)!.close()
    const state = await s.undo('a')
    expect(state.evaluation.status).toBe('empty') // the one good stroke was undone, nothing else replayed
    expect(state.canRedo).toBe(true)
  })

  it('refuses an empty reference and unknown sessions with clear errors', async () => {
    const s = supervisor(inProcessLauncher())
    await expect(s.open('a', { width: 64, height: 64, reference: new Uint8Array(64 * 64) })).rejects.toMatchObject({
      code: 'no-ink'
    })
    await expect(s.scores('nope')).rejects.toMatchObject({ code: 'evaluator', message: 'no evaluation session "nope"' })
  })
})

describe('the evaluation process and the life of its host', () => {
  it('keeps a script alive while a request is unanswered, and lets it end when idle', async () => {
    const { spawnSync } = await import('node:child_process')
    const { join } = await import('node:path')
    const { writeFileSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const src = join(import.meta.dirname, '../../../src/main/evaluator/process')
    const script = join(tmpdir(), `sightline-exit-${process.pid}.ts`)
    writeFileSync(
      script,
      [
        `import { EvaluatorSupervisor } from '${join(src, 'supervisor.ts')}'`,
        `import { workerLauncher } from '${join(src, 'worker-launcher.ts')}'`,
        'const s = new EvaluatorSupervisor(workerLauncher())',
        'const mask = new Uint8Array(64 * 64); mask[70] = 1',
        "await s.open('a', { width: 64, height: 64, reference: mask })",
        "const state = await s.add('a', Int32Array.of(75))",
        'console.log(state.evaluation.status)'
      ].join('\n')
    )
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 })
    expect(r.stdout.trim()).toBe('scored') // the awaits were answered: the worker held the process
    expect(r.status).toBe(0) // and then it ended without anyone terminating the worker
  })
})
