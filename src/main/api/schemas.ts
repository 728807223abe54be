import { z } from 'zod'
import type { ApiArg, ApiMethod } from '../../shared/api.ts'

// Every payload that crosses a process border is checked here before any service sees it.
// The mapped type makes a missing or mistyped schema a compile error.

const referenceId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9:_-]+$/, 'a reference id is lower-case letters, digits, ":", "_" or "-"')

const none = z.undefined()

export const inputSchemas: { [M in ApiMethod]: z.ZodType<ApiArg<M>> } = {
  appInfo: none,
  listReferences: none,
  getReferenceImage: z.strictObject({ id: referenceId })
}
