// The host's last line: an error that slipped past every handler's own error handling (a bug)
// is logged and the host goes on serving, rather than one request ending the studio for every
// page. Each one is logged with UNCAUGHT_MARK, so the tests and `npm run fuzz`, which read the
// host's output, fail on it: the bug is survived, never hidden.

export const UNCAUGHT_MARK = '[host] survived an uncaught error'

export function keepServingOnUncaught(log: (line: string) => void = (line) => console.error(line)): void {
  process.on('uncaughtException', (err, origin) => log(`${UNCAUGHT_MARK} (${origin}): ${describe(err)}`))
  process.on('unhandledRejection', (reason) => log(`${UNCAUGHT_MARK} (unhandled rejection): ${describe(reason)}`))
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.stack ?? `${err.name}: ${err.message}`
  try {
    return String(err)
  } catch {
    return 'a value that cannot be shown'
  }
}
