// Messages between the studio and its image decoder process (decode-process.ts). Plain data that
// the structured clone of both hosts (Node's child_process 'advanced' serialization, Electron's
// utility process) carries as is, bytes as Uint8Array.
import type { DecodeJob, DecodeResult } from './decode-jobs.ts'

export interface DecodeRequest {
  id: number
  job: DecodeJob
  /**
   * The most memory the job may add to what the process held before it (resident set, bytes):
   * past it the process ends itself with MEMORY_EXIT_CODE.
   */
  extraMemoryBytes: number
}

/** Sent once, when the process is ready for jobs. */
export interface DecoderReady {
  kind: 'ready'
  rss: number
}

/** A job's result, with the process's resident memory at its start, its most while it ran (sampled), and after. */
export interface DecoderDone {
  kind: 'done'
  id: number
  result: DecodeResult
  before: number
  peak: number
  rss: number
}

export type DecoderMessage = DecoderReady | DecoderDone

/** The exit code of a decoder process that went over its memory limit. */
export const MEMORY_EXIT_CODE = 86
