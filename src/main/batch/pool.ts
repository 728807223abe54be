// A pool of worker threads that runs a list of tasks and gives every task an answer: its result,
// or, if the worker running it died, `onCrash`'s answer for it; the pool starts a new worker and
// goes on. Each worker holds at most two tasks (one running, one waiting) so it never waits for
// the next message, and works them in order, so the oldest one it holds is the one it was on.
import { Worker } from 'node:worker_threads'

export interface PoolMessage<T> {
  id: number
  task: T
}
export interface PoolReply<R> {
  id: number
  result: R
}

export interface PoolOptions<T, R> {
  /** The worker's script; it answers each PoolMessage with a PoolReply of the same id. */
  entry: URL
  workers: number
  workerData?: unknown
  /** The answer for a task whose worker died while on it. */
  onCrash(task: T, reason: string): R
  /** Called once per task, in the order answers come. */
  onResult?(index: number, result: R): void
}

const HELD = 2

export async function runPool<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<R[]> {
  const results = new Array<R>(tasks.length)
  if (tasks.length === 0) return results
  const count = Math.max(1, Math.min(options.workers, tasks.length))
  let next = 0
  let answered = 0
  const retry: number[] = []
  return new Promise<R[]>((resolve, reject) => {
    const live = new Set<Worker>()
    const finish = (): void => {
      for (const w of live) void w.terminate()
      resolve(results)
    }
    const answer = (index: number, result: R): void => {
      results[index] = result
      answered++
      options.onResult?.(index, result)
      if (answered === tasks.length) finish()
    }
    const start = (): void => {
      const worker = new Worker(options.entry, { workerData: options.workerData })
      live.add(worker)
      const held: number[] = []
      let gone = false
      const feed = (): void => {
        while (held.length < HELD) {
          const index = retry.length > 0 ? retry.shift()! : next < tasks.length ? next++ : -1
          if (index < 0) break
          held.push(index)
          worker.postMessage({ id: index, task: tasks[index] } satisfies PoolMessage<T>)
        }
        if (held.length === 0) {
          live.delete(worker)
          void worker.terminate()
        }
      }
      worker.on('message', (reply: PoolReply<R>) => {
        const at = held.indexOf(reply.id)
        if (at < 0) return
        held.splice(at, 1)
        answer(reply.id, reply.result)
        if (answered < tasks.length) feed()
      })
      const died = (reason: string): void => {
        if (gone) return
        gone = true
        live.delete(worker)
        if (held.length === 0 || answered === tasks.length) return
        // The oldest task held is the one it was working on; the others go back in line.
        const [current, ...waiting] = held
        retry.push(...waiting)
        answer(current, options.onCrash(tasks[current], reason))
        if (answered < tasks.length) {
          try {
            start()
          } catch (err) {
            reject(err)
          }
        }
      }
      worker.on('error', (err) => died(err.message))
      worker.on('exit', (code) => died(`the worker stopped (exit code ${code})`))
      feed()
    }
    try {
      for (let i = 0; i < count; i++) start()
    } catch (err) {
      reject(err)
    }
  })
}
