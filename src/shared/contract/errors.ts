/** What went wrong, in words a user can act on, plus a stable code for programs. */
export type ErrorCode =
  | 'invalid-input' // a payload or argument that does not fit the contract
  | 'not-found' // an id that names nothing
  | 'bad-image' // a file that cannot be used as an image
  | 'no-ink' // a reference without ink at the chosen settings
  | 'storage' // the disk or database refused
  | 'evaluator' // the evaluation process failed and could not recover
  | 'forbidden' // a caller we do not trust
  | 'internal' // a bug: the message says what we were doing

export interface ErrorInfo {
  code: ErrorCode
  message: string
}

/** An error meant for the user: its message is shown as is. */
export class StudioError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'StudioError'
    this.code = code
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message }
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'string' &&
    typeof (value as ErrorInfo).message === 'string'
  )
}

/** Every transport answers with this envelope, so errors keep their code across process borders. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }
