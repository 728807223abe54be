// The worker thread of `sightline report`: scores the files it is handed, one at a time, in the
// order given (the pool relies on that), and answers every one: a refused file is an answer too.
import { basename } from 'node:path'
import { parentPort } from 'node:worker_threads'
import { readImageFile } from '#main/references/read-file.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { CombinedScorer } from './combined-study.ts'
import type { PoolMessage, PoolReply } from './pool.ts'
import type { StudyResult, StudyTask } from './study-task.ts'

const combined = new CombinedScorer()

export async function runStudy(task: StudyTask): Promise<StudyResult> {
  try {
    const { fileName, bytes } = await readImageFile(task.path)
    const study = await combined.score(fileName, bytes, task.background)
    return { ok: true, file: task.file, ...study }
  } catch (err) {
    if (!(err instanceof StudioError)) throw err
    return { ok: false, file: task.file, reason: withoutName(err.message, task.path) }
  }
}

/** Messages name the file first; the report names it already. */
function withoutName(message: string, path: string): string {
  const name = basename(path)
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message
}

if (parentPort) {
  const port = parentPort
  let queue = Promise.resolve()
  port.on('message', (message: PoolMessage<StudyTask>) => {
    queue = queue.then(async () => {
      const result = await runStudy(message.task)
      port.postMessage({ id: message.id, result } satisfies PoolReply<StudyResult>)
    })
  })
}
