import { describe, expect, it, vi } from 'vitest'
import { API_METHODS, type StudioApi } from '#shared/contract/api.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { validArg } from '#tools/fuzz/cases.ts'
import { SeededRandom } from '#tools/sessions/random.ts'

// Only the methods a test calls need to exist; dispatch never touches the others.
function fakeApi(overrides: Partial<StudioApi> = {}): StudioApi {
  const base: Partial<StudioApi> = {
    appInfo: async () => ({ name: 'x', version: '0', shell: 'host', frame: { width: 500, height: 500 } }),
    listReferences: async () => []
  }
  return { ...base, ...overrides } as StudioApi
}

describe('dispatch', () => {
  it('calls the service with the validated payload', async () => {
    const get = vi.fn(async ({ id }: { id: string }) => ({ id, width: 2, height: 3, png: new Uint8Array() }))
    const result = await dispatch(fakeApi({ getReferenceImage: get }), 'getReferenceImage', { id: 'bundled:cube' })
    expect(result).toEqual({ ok: true, value: { id: 'bundled:cube', width: 2, height: 3, png: new Uint8Array() } })
    expect(get).toHaveBeenCalledWith({ id: 'bundled:cube' })
  })

  it.each([
    ['a missing argument', undefined, 'getReferenceImage: '],
    ['a wrong type', { id: 42 }, 'at id'],
    ['an extra key', { id: 'bundled:cube', extra: 1 }, 'getReferenceImage'],
    ['a path-like id', { id: '../../etc/passwd' }, 'reference id'],
    ['a huge id', { id: 'a'.repeat(10_000) }, 'at id']
  ])('refuses %s with invalid-input', async (_label, payload, fragment) => {
    const get = vi.fn()
    const result = await dispatch(fakeApi({ getReferenceImage: get }), 'getReferenceImage', payload)
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input')
      expect(result.error.message).toContain(fragment)
    }
    expect(get).not.toHaveBeenCalled()
  })

  it('refuses a payload for a method that takes none', async () => {
    const result = await dispatch(fakeApi(), 'appInfo', { sneaky: true })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })

  it('refuses unknown and inherited method names', async () => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString', 42, null]) {
      const result = await dispatch(fakeApi(), name, undefined)
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
    }
  })

  it('passes StudioErrors through with their code', async () => {
    const api = fakeApi({
      getReferenceImage: async () => Promise.reject(new StudioError('not-found', 'no reference with id "x"'))
    })
    expect(await dispatch(api, 'getReferenceImage', { id: 'x' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no reference with id "x"' }
    })
  })

  it('turns unexpected exceptions into internal errors naming the method', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {})
    const api = fakeApi({ listReferences: async () => Promise.reject(new TypeError('boom')) })
    expect(await dispatch(api, 'listReferences', undefined)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'listReferences failed unexpectedly: boom' }
    })
    spy.mockRestore()
  })
})

describe('dispatch and numbers that are not numbers', () => {
  /** Every place in a value that holds a number. */
  function numberPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
    if (typeof value === 'number') return [at]
    if (Array.isArray(value)) return value.slice(0, 2).flatMap((v, i) => numberPaths(v, [...at, i]))
    if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
      return Object.entries(value).flatMap(([k, v]) => numberPaths(v, [...at, k]))
    return []
  }
  function withAt(value: unknown, path: (string | number)[], to: number): unknown {
    if (path.length === 0) return to
    const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>
    copy[path[0]] = withAt(copy[path[0]], path.slice(1), to)
    return copy
  }

  it('never lets NaN or an infinity reach a service, in any number of any method', async () => {
    const called: string[] = []
    const api = new Proxy({} as StudioApi, {
      get: (_t, method: string) => async () => void called.push(method)
    })
    const ctx = { port: 1, token: 't', attemptId: () => '6f1c1d5e-8a4b-4c2d-9e3f-0a1b2c3d4e5f' }
    let numbersTried = 0
    for (const method of API_METHODS) {
      const valid = validArg(method, new SeededRandom(7), ctx)
      // The valid argument reaches the service: so a refusal below is the number's doing.
      called.length = 0
      expect([method, await dispatch(api, method, valid)]).toMatchObject([method, { ok: true }])
      expect(called).toEqual([method])
      for (const path of numberPaths(valid)) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          called.length = 0
          const result = await dispatch(api, method, withAt(valid, path, bad))
          expect(result, `${method} with ${bad} at ${path.join('.')}`).toMatchObject({
            ok: false,
            error: { code: 'invalid-input' }
          })
          expect(called).toEqual([])
          numbersTried++
        }
      }
    }
    expect(numbersTried).toBeGreaterThan(30)
  })
})
