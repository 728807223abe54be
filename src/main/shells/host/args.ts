import { parseArgs } from 'node:util'

export interface HostArgs {
  port: number
  dataDir: string | undefined
  /** Print each call's and evaluator request's timestamps to stderr. */
  trace: boolean
  /** Take the data folder's lock even if its owner seems to run (the user knows no host is running). */
  takeOverLock: boolean
}

/** `npm run web -- [--port N] [--data-dir DIR] [--trace] [--take-over-lock]`; throws a one-line message on bad input. */
export function parseHostArgs(argv: string[]): HostArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      trace: { type: 'boolean' },
      'take-over-lock': { type: 'boolean' }
    },
    strict: true,
    allowPositionals: false
  })
  let port = 0
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new Error(`--port must be a whole number from 0 to 65535, not "${values.port}"`)
  }
  return {
    port,
    dataDir: values['data-dir'],
    trace: values.trace ?? false,
    takeOverLock: values['take-over-lock'] ?? false
  }
}
