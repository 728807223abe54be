#!/usr/bin/env node
// The command line: `npm run sightline -- <command>`, or `sightline <command>` once installed.
import { runCli } from './cli/main.ts'

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n')
})
