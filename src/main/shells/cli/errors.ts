import type { ProgressSink } from '#main/batch/progress.ts'

/** A failure the command line reports as one line on stderr with exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CliError'
  }
}

export interface CliIo {
  out(line: string): void
  err(line: string): void
  /** Where a long run shows how far it got (stderr), if anywhere. */
  progress?: ProgressSink
}
