// The worker thread of `sightline report`: works the files it is handed one at a time, in the
// order given (the pool relies on that), and answers every one.
import { parentPort, workerData } from 'node:worker_threads'
import type { PoolMessage, PoolReply } from './pool.ts'
import { StudyRunner } from './study-runner.ts'
import type { StudyResult, StudyTask, WorkerSetup } from './study-task.ts'

if (parentPort) {
  const port = parentPort
  const runner = new StudyRunner(workerData as WorkerSetup)
  let queue = Promise.resolve()
  port.on('message', (message: PoolMessage<StudyTask>) => {
    queue = queue.then(async () => {
      port.postMessage({ id: message.id, started: true } satisfies PoolReply<StudyResult>)
      const result = await runner.run(message.task)
      port.postMessage({ id: message.id, result } satisfies PoolReply<StudyResult>)
    })
  })
}
