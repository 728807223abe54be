// The end-to-end tests' harness: the host process and Chromium (shared with the UI benches).
export * from '../helpers/host-process.ts'
