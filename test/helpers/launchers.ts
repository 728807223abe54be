// Evaluation processes a test can kill: a real worker it terminates, or an in-process one that
// dies at a chosen request, so which requests are in flight when it dies is certain.
import type { EvaluatorRequest } from '#main/evaluator/process/protocol.ts'
import { inProcessLauncher } from '#main/evaluator/process/in-process-launcher.ts'
import type { EvaluatorChannel, EvaluatorLauncher } from '#main/evaluator/process/supervisor.ts'

/** A launcher that remembers its channels, so a test can kill the running process. */
export function tracked(launch: EvaluatorLauncher): { launch: EvaluatorLauncher; channels: EvaluatorChannel[] } {
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

export interface Killable {
  launch: EvaluatorLauncher
  /** How many processes were started. */
  readonly launches: number
  /** Kill the running process now: requests sent to it and not answered yet never will be. */
  kill(): void
  /**
   * Kill the running process as it receives the next request that matches (it never answers
   * it, nor anything sent after it in the same tick).
   */
  dieOn(matches: (request: EvaluatorRequest) => boolean): void
}

/** The in-process evaluator (answers in a microtask), with a kill switch. */
export function killable(): Killable {
  const inner = inProcessLauncher()
  let current: { channel: EvaluatorChannel; exit(reason: string): void } | null = null
  let trigger: ((request: EvaluatorRequest) => boolean) | null = null
  let launches = 0
  const kill = (): void => {
    const c = current
    if (!c) return
    current = null
    void c.channel.close()
    c.exit('killed')
  }
  return {
    get launches() {
      return launches
    },
    launch: () => {
      launches++
      const channel = inner()
      const listeners: ((reason: string) => void)[] = []
      const self = { channel, exit: (reason: string) => listeners.forEach((l) => l(reason)) }
      current = self
      return {
        ...channel,
        onClose: (l) => void listeners.push(l),
        send: (message, transfer) => {
          const request = message.type === 'request' ? (message.arg as EvaluatorRequest) : null
          if (current === self && request && trigger?.(request)) {
            trigger = null
            // Queued before the answer, so the process is dead before it can give one.
            queueMicrotask(kill)
          }
          channel.send(message, transfer)
        }
      }
    },
    kill,
    dieOn: (matches) => {
      trigger = matches
    }
  }
}
