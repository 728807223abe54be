import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// Three builds: main (Electron app, the evaluator's and the image decoder's utility processes,
// the command line), the sandboxed preload
// (must be a single CommonJS file: sandboxed preloads cannot load ES modules or other files),
// and the renderer (Vue). The Node host runs the main-side TypeScript directly on Node 24.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/shells/electron/main.ts'),
          'evaluator-process': resolve(import.meta.dirname, 'src/main/evaluator/process/process-entry.ts'),
          'decode-process': resolve(import.meta.dirname, 'src/main/references/decode-process.ts'),
          cli: resolve(import.meta.dirname, 'src/main/shells/cli/entry.ts'),
          // The command line's batch workers (sightline report), started by URL beside cli.js.
          'study-worker': resolve(import.meta.dirname, 'src/main/batch/study-worker.ts')
        }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } }
    },
    plugins: [vue()]
  }
})
