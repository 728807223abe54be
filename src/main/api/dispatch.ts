import type { ApiMethod, StudioApi } from '#shared/contract/api.ts'
import { StudioError, type Envelope } from '#shared/contract/errors.ts'
import { inputSchemas } from './schemas.ts'

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(inputSchemas, name)
}

/**
 * Validate an untrusted payload and call the service. Never throws: every failure becomes an
 * error envelope with a code, and unexpected exceptions are logged, not leaked.
 */
export async function dispatch(api: StudioApi, method: unknown, payload: unknown): Promise<Envelope<unknown>> {
  if (!isApiMethod(method)) {
    return { ok: false, error: { code: 'invalid-input', message: `unknown method ${describeMethod(method)}` } }
  }
  const parsed = inputSchemas[method].safeParse(payload)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    return {
      ok: false,
      error: { code: 'invalid-input', message: `${method}: ${issue?.message ?? 'invalid payload'}${where}` }
    }
  }
  try {
    const call = api[method] as (arg: unknown) => Promise<unknown>
    return { ok: true, value: await call.call(api, parsed.data) }
  } catch (err) {
    if (err instanceof StudioError) return { ok: false, error: err.toInfo() }
    console.error(`[sightline] ${method} failed:`, err)
    return {
      ok: false,
      error: {
        code: 'internal',
        message: `${method} failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`
      }
    }
  }
}

/** A name for an unknown method that cannot throw, whatever the payload put there. */
function describeMethod(method: unknown): string {
  if (typeof method === 'string') return JSON.stringify(method).slice(0, 80)
  return `of type ${method === null ? 'null' : Array.isArray(method) ? 'array' : typeof method}`
}
