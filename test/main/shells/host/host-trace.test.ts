import { describe, expect, it } from 'vitest'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import type { EvaluatorChannel, EvaluatorRequest } from '#main/evaluator/process/protocol.ts'
import { timedLauncher, type HostTiming } from '#main/shells/host/trace.ts'

describe('timedLauncher', () => {
  it('passes requests and replies through unchanged and times each round trip', async () => {
    const timings: HostTiming[] = []
    const plain = inProcessLauncher()()
    const timed = timedLauncher(inProcessLauncher(), (t) => timings.push(t))()
    const replies = (port: EvaluatorChannel): Promise<unknown[]> =>
      new Promise((resolve) => {
        const got: unknown[] = []
        port.onMessage((r) => {
          got.push(r)
          if (got.length === 3) resolve(got)
        })
      })
    const side = 64
    const reference = new Uint8Array(side * side)
    reference[5 * side + 5] = 1
    const requests: EvaluatorRequest[] = [
      { session: 's', type: 'init', width: side, height: side, reference },
      { session: 's', type: 'add', pixels: new Int32Array([5 * side + 7]) },
      { session: 's', type: 'undo' }
    ]
    const run = async (port: EvaluatorChannel) => {
      const done = replies(port)
      requests.forEach((arg, i) => port.send({ type: 'request', id: i + 1, method: arg.type, arg }))
      return done
    }
    const got = await run(timed)
    expect(got).toEqual(await run(plain))
    expect(got).toMatchObject([
      { type: 'reply', id: 1, ok: true },
      { type: 'reply', id: 2, ok: true },
      { type: 'reply', id: 3, ok: true }
    ])
    expect(timings.map((t) => t.hop === 'evaluator' && t.type)).toEqual(['init', 'add', 'undo'])
    for (const t of timings) if (t.hop === 'evaluator') expect(t.replied).toBeGreaterThanOrEqual(t.sent)
  })
})
