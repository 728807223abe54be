// What a worker of `sightline report` does with each file: score it, or say why not (a refused
// file is an answer too, never the end of the run).
import { basename } from 'node:path'
import { readImageFile } from '#main/references/read-file.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { CombinedScorer } from './combined-study.ts'
import type { StudyResult, StudyTask, WorkerSetup } from './study-task.ts'
import type { AttemptScorer } from './attempt-study.ts'

export class StudyRunner {
  private readonly combined = new CombinedScorer()
  private attempts: Promise<AttemptScorer> | null = null
  private readonly setup: WorkerSetup

  constructor(setup: WorkerSetup) {
    this.setup = setup
  }

  async run(task: StudyTask): Promise<StudyResult> {
    try {
      if (task.kind === 'combined') {
        const { fileName, bytes } = await readImageFile(task.path)
        const study = await this.combined.score(fileName, bytes, task.background)
        return { ok: true, kind: 'combined', file: task.file, ...study }
      }
      // Loaded on the first export: sharp and the reference code cost a worker its start-up time.
      this.attempts ??= (async () => {
        const [{ AttemptScorer }, { ReferenceInkFinder }] = await Promise.all([
          import('./attempt-study.ts'),
          import('./reference-ink.ts')
        ])
        return new AttemptScorer(new ReferenceInkFinder(this.setup.resourcesDir, this.setup.packs))
      })()
      const study = await (await this.attempts).score(task.json, task.drawing)
      return { ok: true, kind: 'attempt', file: task.file, ...study }
    } catch (err) {
      if (!(err instanceof StudioError)) throw err
      return {
        ok: false,
        file: task.file,
        reason: withoutName(err.message, task.kind === 'combined' ? task.path : task.json)
      }
    }
  }
}

/** Messages name the file first; the report names it already. */
function withoutName(message: string, path: string): string {
  const name = basename(path)
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message
}
