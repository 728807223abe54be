#!/usr/bin/env node
// Installed entry (`npm run build`, then `npm link` or `npm install -g .`): the command line as
// built into out/main/cli.js. From a checkout, `npm run sightline -- <command>` needs no build.
import { existsSync } from 'node:fs'

const cli = new URL('../out/main/cli.js', import.meta.url)
if (!existsSync(cli)) {
  process.stderr.write(
    'sightline: the command line is not built yet; run "npm run build" in the Sightline folder first\n'
  )
  process.exit(2)
}
await import(cli.href)
