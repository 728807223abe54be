import { describe, expect, it } from 'vitest'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import type { EvaluatorReply } from '#main/evaluator/process/protocol.ts'
import { timedLauncher, type HostTiming } from '#main/shells/host/trace.ts'

describe('timedLauncher', () => {
  it('passes requests and replies through unchanged and times each round trip', async () => {
    const timings: HostTiming[] = []
    const plain = inProcessLauncher()()
    const timed = timedLauncher(inProcessLauncher(), (t) => timings.push(t))()
    const replies = (channel: typeof plain): Promise<EvaluatorReply[]> =>
      new Promise((resolve) => {
        const got: EvaluatorReply[] = []
        channel.onReply((r) => {
          got.push(r)
          if (got.length === 3) resolve(got)
        })
      })
    const side = 16
    const reference = new Uint8Array(side * side)
    reference[5 * side + 5] = 1
    const run = async (channel: typeof plain) => {
      const done = replies(channel)
      channel.send({ id: 1, session: 's', type: 'init', width: side, height: side, reference })
      channel.send({ id: 2, session: 's', type: 'add', pixels: new Int32Array([5 * side + 7]) })
      channel.send({ id: 3, session: 's', type: 'undo' })
      return done
    }
    expect(await run(timed)).toEqual(await run(plain))
    expect(timings.map((t) => t.hop === 'evaluator' && t.type)).toEqual(['init', 'add', 'undo'])
    for (const t of timings) if (t.hop === 'evaluator') expect(t.replied).toBeGreaterThanOrEqual(t.sent)
  })
})
