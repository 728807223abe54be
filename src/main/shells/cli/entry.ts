#!/usr/bin/env node
// The command line: `npm run sightline -- <command>`, or `sightline <command>` once installed.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { useCompileCache } from '#main/platform/compile-cache.ts'

// The compile cache before the rest is loaded, so the rest comes out of it.
useCompileCache()
const { useDecodeProcessEntry } = await import('#main/references/decoder.ts')
const { runCli } = await import('./main.ts')

// Built into out/main/cli.js, the image decoder process is out/main/decode-process.js beside it;
// run from the TypeScript source, the decoder finds its own entry.
const self = fileURLToPath(import.meta.url)
if (self.endsWith('.js')) useDecodeProcessEntry(join(dirname(self), 'decode-process.js'))

// A reader that stops early (`| head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw err
  })
}

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  progress: { isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) }
})
