import { describe, expect, it, vi } from 'vitest'
import type { StudioApi } from '#shared/contract/api.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { dispatch } from '#main/api/dispatch.ts'

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
