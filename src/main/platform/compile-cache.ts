// Node's on-disk compile cache for the command line and its workers: each worker thread of
// `sightline report` loads its modules afresh (from TypeScript, stripped each time, when run from
// the source), which cost a run more than a tenth of its time on 300 images. The cache (in the
// system's temp folder, Node's default) keeps the compiled code; NODE_DISABLE_COMPILE_CACHE=1
// turns it off. A Node without it (before 22.1) simply runs without.
import * as nodeModule from 'node:module'

export function useCompileCache(): void {
  const { enableCompileCache } = nodeModule as { enableCompileCache?: () => unknown }
  enableCompileCache?.()
}
