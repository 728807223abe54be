// Compile one AssemblyScript entry in memory with the options every kernel of ours is built with:
// the memory imported from the caller, no runtime, no assertions or abort messages (they would
// need static data in that memory), SIMD on. Used by build-wasm.ts and build-batch-wasm.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import asc from 'assemblyscript/asc'

const ASC_OPTIONS = [
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--runtime',
  'stub',
  '--importMemory',
  '--noExportMemory',
  '--noAssert',
  '--use',
  'abort=',
  '--enable',
  'simd'
]

/** The module compiled from `entry` (relative to `baseDir`), read from the files on disk. */
export async function compileKernels(baseDir: string, entry: string): Promise<Uint8Array> {
  const OUT = 'kernels.wasm'
  let binary: Uint8Array | null = null
  const errors: string[] = []
  const sink = (into: string[]): { write(chunk: Uint8Array | string): void } => ({
    write: (chunk) => void into.push(typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk))
  })
  const result = await asc.main([entry, '--baseDir', baseDir, '--outFile', OUT, ...ASC_OPTIONS], {
    readFile: (name, dir) => {
      try {
        return readFileSync(join(dir, name), 'utf8')
      } catch {
        return null
      }
    },
    writeFile: (name, contents) => {
      if (name === OUT && typeof contents !== 'string') binary = contents
    },
    listFiles: () => [],
    stdout: sink([]),
    stderr: sink(errors)
  })
  if (result.error) throw new Error(`asc: ${result.error.message}\n${errors.join('')}`)
  if (!binary) throw new Error('asc wrote no module')
  return binary
}
