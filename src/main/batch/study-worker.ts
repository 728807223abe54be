// The worker thread's entry: the compile cache first, so the modules the worker loads (the body
// and everything it imports) come out of it, then the body (study-worker-body.ts).
import { useCompileCache } from '#main/platform/compile-cache.ts'

useCompileCache()
await import('./study-worker-body.ts')
