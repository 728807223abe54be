// A pool of worker threads that runs a list of tasks and gives every task exactly one answer: its
// result, or, if the worker died while on it, `onCrash`'s answer; the pool starts a new worker and
// goes on. Each worker holds at most two tasks (one running, one waiting) so it never waits for
// the next message; it says when it starts one, so a worker that dies is known to have died on
// that task (and the one waiting goes to another), or between tasks (both go to another).
import { Worker } from 'node:worker_threads'

export interface PoolMessage<T> {
  id: number
  task: T
}
/** From the worker: it began a task, or its answer. */
export type PoolReply<R> = { id: number; started: true } | { id: number; result: R }

export interface PoolOptions<T, R> {
  /** The worker's script: for each PoolMessage it posts `{ id, started: true }`, then `{ id, result }`. */
  entry: URL
  workers: number
  workerData?: unknown
  /** The answer for a task whose worker died while on it. */
  onCrash(task: T, reason: string): R
  /** Called once per task, in the order answers come. */
  onResult?(index: number, result: R): void
}

const HELD = 2
/** Workers in a row that die before starting anything: then the oldest task waiting is given up. */
const STILLBORN_LIMIT = 3

export async function runPool<T, R>(tasks: readonly T[], options: PoolOptions<T, R>): Promise<R[]> {
  const results = new Array<R>(tasks.length)
  if (tasks.length === 0) return results
  const count = Math.max(1, Math.min(options.workers, tasks.length))
  let next = 0
  let answered = 0
  let stillborn = 0
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
      let running: number | null = null
      let startedAny = false
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
        // A message that comes in after the worker was given up for dead is not counted: its task
        // was answered (or handed to another worker) then.
        if (gone) return
        if ('started' in reply) {
          running = reply.id
          startedAny = true
          stillborn = 0
          return
        }
        const at = held.indexOf(reply.id)
        if (at < 0) return
        held.splice(at, 1)
        if (running === reply.id) running = null
        answer(reply.id, reply.result)
        if (answered < tasks.length) feed()
      })
      const died = (reason: string): void => {
        if (gone) return
        gone = true
        live.delete(worker)
        const mine = held.splice(0)
        if (mine.length === 0 || answered === tasks.length) return
        if (running !== null) {
          // It died on this one; the others it held never began.
          answer(running, options.onCrash(tasks[running], reason))
          retry.push(...mine.filter((i) => i !== running))
        } else if (!startedAny && ++stillborn >= STILLBORN_LIMIT) {
          // Workers keep dying before any work: give the oldest task up, so the run ends.
          stillborn = 0
          answer(mine[0], options.onCrash(tasks[mine[0]], reason))
          retry.push(...mine.slice(1))
        } else retry.push(...mine)
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
