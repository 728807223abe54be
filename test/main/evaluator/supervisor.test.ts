import { afterEach, describe, expect, it } from 'vitest'
import { addedStrokes, referenceMask } from '#main/evaluator/pixel-log.ts'
import {
  EvaluatorSupervisor,
  type EvaluatorLauncher,
  type EvaluatorEdit,
  type SessionInit,
  type SessionOwner,
  type SessionSnapshot,
  type SupervisorOptions
} from '#main/evaluator/process/supervisor.ts'
import { workerLauncher } from '#main/evaluator/process/worker-launcher.ts'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import type { EvaluatorState } from '#main/evaluator/process/protocol.ts'
import { commit, redo, undo } from '#shared/edit-history/history.ts'
import { seedSession } from '#test/helpers/pixel-logs.ts'
import { killable, tracked } from '#test/helpers/launchers.ts'

type Step = { kind: 'add' | 'erase'; pixels: Int32Array } | { kind: 'clear' } | { kind: 'undo' } | { kind: 'redo' }

/**
 * The sessions' owner, as the attempt service is one: each session's reference and its history
 * of pixel edits, an edit added once the supervisor has answered it.
 */
class Owner implements SessionOwner {
  readonly sessions = new Map<string, SessionSnapshot>()
  /** Sessions it pretends not to know (a snapshot it cannot give). */
  readonly forgotten = new Set<string>()

  snapshot(session: string): SessionSnapshot | null {
    return this.forgotten.has(session) ? null : (this.sessions.get(session) ?? null)
  }
}

interface Harness {
  s: EvaluatorSupervisor
  owner: Owner
  open(session: string, init: SessionInit): Promise<EvaluatorState>
  run(step: Step, session?: string): Promise<EvaluatorState>
}

const supervisors: EvaluatorSupervisor[] = []
function supervisor(launch: EvaluatorLauncher, options: Omit<SupervisorOptions, 'sessions'> = {}): Harness {
  const owner = new Owner()
  const s = new EvaluatorSupervisor(launch, { ...options, sessions: owner })
  supervisors.push(s)
  return {
    s,
    owner,
    open(session, init) {
      owner.sessions.set(session, { init, history: { ops: [], cursor: 0 } })
      return s.open(session)
    },
    async run(step, session = 'a') {
      const state = await (step.kind === 'add'
        ? s.add(session, step.pixels)
        : step.kind === 'erase'
          ? s.erase(session, step.pixels)
          : step.kind === 'clear'
            ? s.clear(session)
            : step.kind === 'undo'
              ? s.undo(session)
              : s.redo(session))
      // Answered: now it is part of the session's history (an owner records nothing unanswered).
      const snapshot = owner.sessions.get(session)!
      const h = snapshot.history
      if (step.kind === 'undo') snapshot.history = undo(h)
      else if (step.kind === 'redo') snapshot.history = redo(h)
      else snapshot.history = commit(h, toPixelEdit(step))
      return state
    }
  }
}
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.dispose()))
})

function toPixelEdit(step: Exclude<Step, { kind: 'undo' | 'redo' }>): EvaluatorEdit {
  return step.kind === 'clear' ? { type: 'clear' } : { type: step.kind, pixels: step.pixels }
}

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

describe('evaluator supervisor with a real worker process', () => {
  it('survives the process being killed mid-session: same scores, no stroke lost', async () => {
    const { mask, steps } = hundredStrokeSession()
    const reference = supervisor(inProcessLauncher())
    const worker = tracked(workerLauncher())
    const crashy = supervisor(worker.launch)
    await reference.open('a', { width: 500, height: 500, reference: mask })
    await crashy.open('a', { width: 500, height: 500, reference: mask })

    const expected: EvaluatorState[] = []
    for (const step of steps) expected.push(await reference.run(step))

    const got: EvaluatorState[] = []
    for (let i = 0; i < steps.length; i++) {
      if (i === 40) {
        // Killed between two requests...
        await worker.channels.at(-1)!.close()
      }
      if (i === 80) {
        // ...and while three requests are in flight.
        const inflight = [crashy.run(steps[i]), crashy.run(steps[i + 1]), crashy.run(steps[i + 2])]
        void worker.channels.at(-1)!.close()
        got.push(...(await Promise.all(inflight)))
        i += 2
        continue
      }
      got.push(await crashy.run(steps[i]))
    }
    expect(crashy.s.restarts).toBe(2)
    expect(worker.channels.length).toBe(3)
    expect(got).toEqual(expected)
    expect(await crashy.s.errorField('a')).toEqual(await reference.s.errorField('a'))
  })

  it('rebuilds the redo tail and a clear, so an undo or redo in flight is answered as before', async () => {
    const { mask, steps } = hundredStrokeSession()
    const adds = steps.filter((st) => st.kind === 'add').slice(0, 6)
    const script: Step[] = [
      ...adds.slice(0, 3),
      { kind: 'clear' },
      ...adds.slice(3),
      { kind: 'undo' },
      { kind: 'undo' }
    ]
    const tail: Step[] = [{ kind: 'redo' }, { kind: 'undo' }, { kind: 'undo' }, { kind: 'undo' }, { kind: 'redo' }]
    const reference = supervisor(inProcessLauncher())
    const process = killable()
    const crashy = supervisor(process.launch)
    for (const h of [reference, crashy]) {
      await h.open('a', { width: 500, height: 500, reference: mask })
      for (const step of script) await h.run(step)
    }
    const expected: EvaluatorState[] = []
    for (const step of tail) expected.push(await reference.run(step))
    const inflight = tail.map((step) => crashy.run(step))
    process.kill()
    expect(await Promise.all(inflight)).toEqual(expected)
    expect(crashy.s.restarts).toBe(1)
    expect(await crashy.s.errorField('a')).toEqual(await reference.s.errorField('a'))
  })

  it('rebuilds every open session, and fails only the one its owner cannot give back', async () => {
    const { mask, steps } = hundredStrokeSession()
    const adds = steps.filter((st) => st.kind === 'add').slice(0, 4)
    const process = killable()
    const h = supervisor(process.launch)
    const reference = supervisor(inProcessLauncher())
    for (const session of ['a', 'b', 'c']) {
      await h.open(session, { width: 500, height: 500, reference: mask })
      await reference.open(session, { width: 500, height: 500, reference: mask })
    }
    for (const step of adds) {
      await h.run(step, 'a')
      await reference.run(step, 'a')
    }
    await h.run(adds[0], 'b')
    h.owner.forgotten.add('b')
    const during = [h.run(adds[1], 'a'), h.run(adds[1], 'b'), h.run(adds[2], 'c')]
    process.kill()
    const [a, b, c] = await Promise.allSettled(during)
    expect(a).toEqual({ status: 'fulfilled', value: await reference.run(adds[1], 'a') })
    expect(c).toEqual({ status: 'fulfilled', value: await reference.run(adds[2], 'c') })
    expect(b).toMatchObject({
      status: 'rejected',
      reason: {
        code: 'evaluator',
        message:
          'the drawing could not be rebuilt after the evaluator restarted: no evaluation session "b" (its owner has no such drawing)'
      }
    })
    await expect(h.s.scores('b')).rejects.toMatchObject({ message: 'no evaluation session "b"' })
    expect(await h.s.errorField('a')).toEqual(await reference.s.errorField('a'))
  })

  it('restarts a process that stops answering', async () => {
    const inner = inProcessLauncher()
    let launches = 0
    // The first process swallows every request, as a hung one would.
    const launch: EvaluatorLauncher = () => {
      const c = inner()
      return launches++ === 0 ? { ...c, send: () => {} } : c
    }
    const h = supervisor(launch, { requestTimeoutMs: 200 })
    const mask = new Uint8Array(64 * 64)
    mask[100] = 1
    const state = await h.open('a', { width: 64, height: 64, reference: mask })
    expect(state.evaluation).toMatchObject({ status: 'empty', referencePixels: 1 })
    expect(h.s.restarts).toBe(1)
    const after = await h.run({ kind: 'add', pixels: Int32Array.of(101) })
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
    const h = supervisor(dying, { maxRestarts: 2 })
    const mask = new Uint8Array(64 * 64).fill(1)
    await expect(h.open('a', { width: 64, height: 64, reference: mask })).rejects.toMatchObject({
      code: 'evaluator',
      message: expect.stringContaining('keeps failing (the evaluation process ended (exit code 134))')
    })
    await expect(h.s.scores('a')).rejects.toMatchObject({ code: 'evaluator' })
  })

  it('refuses bad edits, which its owner then never records', async () => {
    const worker = tracked(workerLauncher())
    const h = supervisor(worker.launch)
    const mask = new Uint8Array(64 * 64)
    mask[5] = 1
    await h.open('a', { width: 64, height: 64, reference: mask })
    await h.run({ kind: 'add', pixels: Int32Array.of(6) })
    await expect(h.run({ kind: 'add', pixels: Int32Array.of(64 * 64) })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('outside the 64 x 64 frame')
    })
    await worker.channels.at(-1)!.close()
    const state = await h.run({ kind: 'undo' })
    expect(state.evaluation.status).toBe('empty') // the one good stroke was undone, nothing else rebuilt
    const redone = await h.run({ kind: 'redo' })
    expect(redone.evaluation).toMatchObject({ status: 'scored', drawingPixels: 1 })
    expect(h.s.restarts).toBe(1)
  })

  it('refuses an empty reference and unknown sessions with clear errors', async () => {
    const h = supervisor(inProcessLauncher())
    await expect(h.open('a', { width: 64, height: 64, reference: new Uint8Array(64 * 64) })).rejects.toMatchObject({
      code: 'no-ink'
    })
    await expect(h.s.scores('a')).rejects.toMatchObject({ code: 'evaluator', message: 'no evaluation session "a"' })
    await expect(h.s.scores('nope')).rejects.toMatchObject({
      code: 'evaluator',
      message: 'no evaluation session "nope"'
    })
    await expect(h.s.open('unknown')).rejects.toMatchObject({
      code: 'evaluator',
      message: 'no evaluation session "unknown" (its owner has no such drawing)'
    })
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
        'const mask = new Uint8Array(64 * 64); mask[70] = 1',
        'const init = { width: 64, height: 64, reference: mask }',
        'const s = new EvaluatorSupervisor(workerLauncher(), {',
        '  sessions: { snapshot: () => ({ init, history: { ops: [], cursor: 0 } }) }',
        '})',
        "await s.open('a')",
        "const state = await s.add('a', Int32Array.of(75))",
        'console.log(state.evaluation.status)'
      ].join('\n')
    )
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 })
    expect(r.stdout.trim()).toBe('scored') // the awaits were answered: the worker held the process
    expect(r.status).toBe(0) // and then it ended without anyone terminating the worker
  })
})
