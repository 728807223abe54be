// Hostile input for the Node host, from a seed: the same seed gives the same cases on every
// machine. Three kinds, as a hostile local process (or a careless page) could send them:
//   - http: raw bytes on a fresh TCP connection: request lines with malformed targets and
//     %-escapes, odd methods and versions, hostile headers, upgrade requests, random bytes;
//   - frame: a binary (or text) WebSocket message on an authenticated socket: random bytes,
//     broken headers, MessagePack of anything, truncations, too many values;
//   - call: a well-formed request frame for an API method whose argument is a valid one with a
//     hostile change (NaN, Infinity, wrong types, huge or deep values, extra or missing keys...).
// Pure: the runner (run.ts) sends them.
import { Encoder } from '@msgpack/msgpack'
import { API_METHODS, type ApiMethod } from '#shared/contract/api.ts'
import { encodeFrame } from '#shared/rpc/frame.ts'
import { FRAME_KIND, HEADER_BYTES } from '#shared/rpc/frame-header.ts'
import { SeededRandom } from '#tools/sessions/random.ts'

export type FuzzCase =
  | {
      kind: 'http'
      label: string
      bytes: Uint8Array
      /** After sending: close the writing side (a client with nothing more to say), or leave it open. */
      then: 'half-close' | 'wait'
    }
  | { kind: 'frame'; label: string; bytes: Uint8Array; text: boolean }
  | { kind: 'call'; label: string; method: string; arg: unknown }

/** What the cases may name: the host's own address and token, an attempt the runner keeps open. */
export interface FuzzContext {
  port: number
  token: string
  /** An attempt id the runner started (or a stale one: both are worth sending). */
  attemptId(): string
}

const BUNDLED = ['bundled:cube', 'bundled:vase', 'bundled:still-life']
const encoder = new Encoder()

/** An endless, seeded stream of cases. */
export function* fuzzCases(seed: number, ctx: FuzzContext): Generator<FuzzCase> {
  const rnd = new SeededRandom(seed)
  for (;;) {
    const r = rnd.next()
    if (r < 0.3) yield httpCase(rnd, ctx)
    else if (r < 0.5) yield frameCase(rnd)
    else yield callCase(rnd, ctx)
  }
}

// ---- hostile values ----

function hostileNumber(rnd: SeededRandom): number {
  return rnd.pick([
    NaN,
    Infinity,
    -Infinity,
    -0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    -(2 ** 31),
    2 ** 32,
    0.1 + 0.2,
    Number.MIN_VALUE,
    rnd.between(-1e6, 1e6)
  ])
}

function hostileString(rnd: SeededRandom): string {
  return rnd.pick([
    '',
    ' ',
    '\u0000',
    '\ud800',
    '__proto__',
    'constructor',
    'toString',
    '../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    'bundled:../../secret',
    'lib:' + 'f'.repeat(64),
    'lib:' + 'g'.repeat(64),
    'bundled:cube\u0000.png',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-4fff-bfff-ffffffffffff',
    '%s%n%x',
    '<script>alert(1)</script>',
    '\r\nSet-Cookie: x=1',
    'a'.repeat(rnd.below(5) === 0 ? 1_000_000 : 5_000),
    '😀'.repeat(300),
    randomText(rnd, 1 + rnd.below(40))
  ])
}

function randomText(rnd: SeededRandom, length: number): string {
  let s = ''
  for (let i = 0; i < length; i++) s += String.fromCharCode(rnd.chance(0.8) ? 32 + rnd.below(95) : rnd.below(0x3000))
  return s
}

function deep(depth: number, asArray: boolean): unknown {
  let v: unknown = 0
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v }
  return v
}

function hostileValue(rnd: SeededRandom, budget = 3): unknown {
  switch (rnd.below(budget > 0 ? 14 : 9)) {
    case 0:
      return hostileNumber(rnd)
    case 1:
      return hostileString(rnd)
    case 2:
      return rnd.pick([null, undefined, true, false])
    case 3:
      return randomBytes(rnd, rnd.pick([0, 1, 16, 4096]))
    case 4:
      return new Date(rnd.pick([0, NaN, 8.64e15, -1]))
    case 5:
      return rnd.pick<unknown>([{}, [], [[]], { constructor: { prototype: 1 } }, { toString: 1, valueOf: 2 }])
    case 6:
      return deep(rnd.pick([50, 2_000, 20_000]), rnd.chance(0.5))
    case 7:
      return new Array(rnd.pick([1_000, 100_000])).fill(rnd.chance(0.5) ? 0 : { x: 1 })
    case 8:
      return rnd.between(-1e9, 1e9)
    case 9:
      return Array.from({ length: 1 + rnd.below(4) }, () => hostileValue(rnd, budget - 1))
    default: {
      const o: Record<string, unknown> = {}
      for (let i = 0, n = 1 + rnd.below(4); i < n; i++)
        o[hostileString(rnd).slice(0, 40)] = hostileValue(rnd, budget - 1)
      return o
    }
  }
}

function randomBytes(rnd: SeededRandom, n: number): Uint8Array {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = rnd.below(256)
  return b
}

// ---- calls: a valid argument per method, then one hostile change ----

function validStroke(rnd: SeededRandom): unknown {
  const n = 1 + rnd.below(rnd.chance(0.1) ? 3_000 : 40)
  const x0 = rnd.between(0, 500)
  const y0 = rnd.between(0, 500)
  return {
    tool: rnd.chance(0.8) ? 'pen' : 'eraser',
    size: rnd.pick([1, 3, 8, 24]),
    points: Array.from({ length: n }, (_, i) => ({
      x: x0 + rnd.between(-3, 3) * i,
      y: y0 + rnd.between(-3, 3) * i,
      pressure: rnd.next(),
      tiltX: 0,
      tiltY: 0,
      t: i * 8
    }))
  }
}

const ink = (rnd: SeededRandom): unknown =>
  rnd.pick([
    { mode: 'threshold', threshold: rnd.below(256) },
    { mode: 'auto' },
    { mode: 'outline', threshold: 1 + rnd.below(255) }
  ])

/** Small images that are each wrong in their own way (none that takes long to refuse). */
function hostileImage(rnd: SeededRandom): { fileName: string; bytes: Uint8Array } {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  const ihdr = (w: number, h: number): number[] => {
    const b = new Uint8Array(25)
    const v = new DataView(b.buffer)
    v.setUint32(0, 13)
    b.set([0x49, 0x48, 0x44, 0x52], 4)
    v.setUint32(8, w)
    v.setUint32(12, h)
    b.set([8, 2, 0, 0, 0], 16)
    return [...b]
  }
  const text = (s: string): Uint8Array => new TextEncoder().encode(s)
  return rnd.pick([
    { fileName: 'empty.png', bytes: new Uint8Array(0) },
    { fileName: 'sig.png', bytes: new Uint8Array(png) },
    { fileName: 'huge.png', bytes: new Uint8Array([...png, ...ihdr(100_000, 100_000)]) },
    { fileName: 'zero.png', bytes: new Uint8Array([...png, ...ihdr(0, 0)]) },
    { fileName: 'noise.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, ...randomBytes(rnd, 200)]) },
    { fileName: 'noise.gif', bytes: new Uint8Array([...text('GIF89a'), ...randomBytes(rnd, 100)]) },
    { fileName: 'noise.bin', bytes: randomBytes(rnd, 1 + rnd.below(2048)) },
    { fileName: 'not.svg', bytes: text('<svg xmlns="http://www.w3.org/2000/svg"><g>') },
    {
      fileName: 'link.svg',
      bytes: text('<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>')
    },
    { fileName: '../../escape.png', bytes: new Uint8Array(png) },
    { fileName: 'x'.repeat(1024), bytes: new Uint8Array(png) }
  ])
}

function sessionPlan(rnd: SeededRandom, referenceId: string): unknown {
  return {
    title: 'Fuzz',
    mode: rnd.pick(['copy', 'memory']),
    studySeconds: 1 + rnd.below(600),
    order: rnd.pick(['listed', 'random']),
    count: 1 + rnd.below(5),
    seconds: [30 + rnd.below(1171)],
    items: [{ referenceId }, { referenceId: 'drill:line-angle:3', seconds: 60 }]
  }
}

/** The window the fuzzer claims the studio as (a UUID, as a page makes one). */
const FUZZ_WINDOW = '0b9f5c3e-4d2a-4f1b-8c7d-6e5f4a3b2c1d'

/** A valid argument for each method the cases know; others get {} (and are fuzzed all the same). */
export function validArg(method: string, rnd: SeededRandom, ctx: FuzzContext): unknown {
  const attemptId = ctx.attemptId()
  const activeMs = rnd.below(100_000)
  const referenceId = rnd.pick(BUNDLED)
  const args: Partial<Record<ApiMethod, () => unknown>> = {
    appInfo: () => undefined,
    listReferences: () => undefined,
    recentReferences: () => undefined,
    getReferenceImage: () => ({ id: referenceId }),
    getReferenceThumbnail: () => ({ id: referenceId }),
    importReference: () =>
      rnd.chance(0.1) ? { path: rnd.pick(['/etc/passwd', 'x.png', '\u0000']) } : hostileImage(rnd),
    previewInk: () => ({ id: referenceId, ink: ink(rnd) }),
    setReferenceInk: () => ({ id: referenceId, ink: { mode: 'threshold', threshold: 128 } }),
    startAttempt: () => ({ referenceId }),
    resumeAttempt: () => undefined,
    commitStroke: () => ({ attemptId, activeMs, stroke: validStroke(rnd) }),
    undo: () => ({ attemptId, activeMs }),
    redo: () => ({ attemptId, activeMs }),
    clearDrawing: () => ({ attemptId, activeMs }),
    finishAttempt: () => ({ attemptId, activeMs }),
    evaluateAttempt: () => ({ attemptId }),
    attemptHeatmap: () => ({ attemptId, view: rnd.pick(['combined', 'drawing', 'reference']), scale: 1 }),
    attemptOverlay: () => ({
      attemptId,
      layer: rnd.pick(['heatmap', 'match', 'reference']),
      view: rnd.pick(['combined', 'drawing', 'reference']),
      aligned: rnd.chance(0.5),
      scale: 1
    }),
    exportAttempt: () => ({ attemptId, view: 'combined', scale: rnd.pick([1, 2]) }),
    historyStatus: () => undefined,
    listAttempts: () => ({ page: rnd.below(3), pageSize: 1 + rnd.below(50) }),
    historyReferences: () => undefined,
    attemptDetails: () => ({ attemptId }),
    attemptJournal: () => ({ attemptId }),
    deleteAttempt: () => ({ attemptId }),
    restoreAttempt: () => ({ attemptId }),
    progressSeries: () => ({ referenceId }),
    exportHistory: () => ({ format: rnd.pick(['csv', 'json']) }),
    listHistoryBackups: () => undefined,
    restoreHistoryBackup: () => ({ name: 'history-2026-12-01T10-00-00-000Z.sqlite' }),
    getSettings: () => undefined,
    updateSettings: () =>
      rnd.pick([
        { name: 'Ann' },
        { theme: 'dark' },
        { toolSizes: { pen: 3 } },
        { frame: { longestSide: 750 } },
        { feedback: { mode: 'memory', memorySeconds: 20 } }
      ]),
    claimStudio: () => ({ windowId: FUZZ_WINDOW, takeOver: rnd.chance(0.5) }),
    studioHeartbeat: () => ({ windowId: FUZZ_WINDOW }),
    releaseStudio: () => ({ windowId: FUZZ_WINDOW }),
    getReferenceLines: () =>
      rnd.chance(0.5) ? { id: referenceId } : { id: referenceId, frame: { width: 500, height: 64 + rnd.below(437) } },
    renameReference: () => ({ id: referenceId, name: rnd.pick(['Vase', 'my panorama']) }),
    setReferenceTags: () => ({ id: referenceId, tags: rnd.pick([[], ['class 3'], ['landscape', 'ink']]) }),
    removeReference: () => ({ id: referenceId }),
    restoreReference: () => ({ id: referenceId }),
    continueAttempt: () => ({ attemptId }),
    setAttemptDiscarded: () => ({ attemptId, discarded: rnd.chance(0.5) }),
    // Training: sessions and drills name ids that need not exist (refused as not found).
    startSession: () => ({ plan: sessionPlan(rnd, referenceId), seed: rnd.below(1000) }),
    recordSessionDrawing: () => ({ sessionId: 's-1', position: rnd.below(3), attemptId }),
    finishSession: () => ({ sessionId: 's-1' }),
    getSession: () => ({ sessionId: 's-1' }),
    listSessions: () => undefined,
    newDrill: () => ({ kind: rnd.pick(['line-through-points', 'ellipse', 'box', 'adaptive']) }),
    drillInfo: () => ({ referenceId: rnd.pick(['drill:ellipse:7', 'drill:nothing:1', referenceId]) }),
    drillFigures: () => ({ attemptId }),
    practiceSummary: () => ({ utcOffsetMinutes: rnd.below(1681) - 840, days: 1 + rnd.below(366) }),
    exportPack: () => ({ plan: sessionPlan(rnd, referenceId) }),
    importPack: () => ({
      fileName: 'class.sightline-pack.json',
      bytes: new TextEncoder().encode(rnd.pick(['{"format":"sightline-pack","version":1}', '{}', '[']))
    }),
    // Profiles: the first one always exists; a made-up one does not.
    listProfiles: () => undefined,
    createProfile: () => ({ name: rnd.pick(['Ann', 'Bo']) }),
    renameProfile: () => ({ profileId: 'default', name: 'Me' }),
    switchProfile: () => ({ profileId: rnd.pick(['default', 'p-00000000-0000-4000-8000-000000000000']) })
  }
  return Object.hasOwn(args, method) ? args[method as ApiMethod]!() : {}
}

/** Every place in a value where another could go: [] is the value itself. */
function paths(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at)
  if (out.length > 200) return out
  if (Array.isArray(value)) value.slice(0, 3).forEach((v, i) => paths(v, [...at, i], out))
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
    for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out)
  return out
}

function setAt(value: unknown, path: (string | number)[], change: (old: unknown) => unknown): unknown {
  if (path.length === 0) return change(value)
  const [head, ...rest] = path
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>
  copy[head] = setAt(copy[head], rest, change)
  return copy
}

function mutate(rnd: SeededRandom, value: unknown): { arg: unknown; how: string } {
  const all = paths(value)
  const path = rnd.pick(all)
  const where = path.join('.') || 'arg'
  switch (rnd.below(7)) {
    case 0:
      return { arg: value, how: 'valid' }
    case 1:
      return { arg: setAt(value, path, () => hostileNumber(rnd)), how: `${where}=number` }
    case 2:
      return { arg: setAt(value, path, () => hostileString(rnd)), how: `${where}=string` }
    case 3:
      return { arg: setAt(value, path, () => hostileValue(rnd)), how: `${where}=value` }
    case 4: {
      // An extra key, or one taken away.
      const extra = rnd.chance(0.5)
      return {
        arg: setAt(value, path, (old) => {
          if (old === null || typeof old !== 'object' || old instanceof Uint8Array) return old
          const o: Record<string, unknown> = Array.isArray(old) ? { ...old } : { ...(old as object) }
          const keys = Object.keys(o)
          if (extra || keys.length === 0) o[hostileString(rnd).slice(0, 20) || 'extra'] = hostileValue(rnd, 1)
          else delete o[rnd.pick(keys)]
          return o
        }),
        how: `${where}:${extra ? 'extra' : 'missing'} key`
      }
    }
    case 5:
      // Every number in the value NaN, or infinite: none may reach a service.
      return { arg: mapNumbers(value, rnd.pick([NaN, Infinity, -Infinity])), how: 'every number non-finite' }
    default:
      return { arg: hostileValue(rnd), how: 'arg=value' }
  }
}

function mapNumbers(value: unknown, to: number): unknown {
  if (typeof value === 'number') return to
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, to))
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, to)]))
  return value
}

function callCase(rnd: SeededRandom, ctx: FuzzContext): FuzzCase {
  const method = rnd.chance(0.03)
    ? rnd.pick(['nope', '__proto__', 'constructor', 'hasOwnProperty', 'toString', ''])
    : rnd.pick(API_METHODS)
  const { arg, how } = mutate(rnd, validArg(method, rnd, ctx))
  return { kind: 'call', label: `call ${method} (${how})`, method, arg }
}

// ---- frames ----

function framed(kind: number, id: number, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(HEADER_BYTES + body.length)
  frame[0] = kind
  new DataView(frame.buffer).setUint32(1, id, true)
  frame.set(body, HEADER_BYTES)
  return frame
}

function encodable(value: unknown): Uint8Array {
  try {
    return encoder.encode(value)
  } catch {
    return encoder.encode(null)
  }
}

function frameCase(rnd: SeededRandom): FuzzCase {
  const id = rnd.chance(0.2) ? rnd.pick([0, 1, 0xffff_ffff]) : rnd.below(0x1_0000_0000)
  switch (rnd.below(10)) {
    case 9: {
      // {m: <method>, a: [[[...]]]} nested 100,000 deep: built as bytes (an encoder would recurse).
      const method = new TextEncoder().encode(rnd.pick(API_METHODS))
      const depth = 100_000
      const head = [0x82, 0xa1, 0x6d, 0xd9, method.length, ...method, 0xa1, 0x61]
      const body = new Uint8Array(head.length + depth + 1)
      body.set(head)
      body.fill(rnd.chance(0.5) ? 0x91 : 0x81, head.length, head.length + depth) // [x] or {x: ...} keys...
      body[body.length - 1] = 0xc0
      return {
        kind: 'frame',
        label: 'frame: nested 100,000 deep',
        bytes: framed(FRAME_KIND.request, id, body),
        text: false
      }
    }
    case 0:
      return { kind: 'frame', label: 'frame: random bytes', bytes: randomBytes(rnd, rnd.below(64)), text: false }
    case 1:
      return {
        kind: 'frame',
        label: 'frame: random kind',
        bytes: framed(rnd.below(256), id, randomBytes(rnd, rnd.below(64))),
        text: false
      }
    case 2:
      return {
        kind: 'frame',
        label: 'frame: MessagePack of anything',
        bytes: framed(rnd.pick([1, 2, 3, 4]), id, encodable(hostileValue(rnd))),
        text: false
      }
    case 3: {
      const whole = encodeFrame({ type: 'request', id, method: rnd.pick(API_METHODS), arg: { id: 'bundled:cube' } })
      return { kind: 'frame', label: 'frame: truncated', bytes: whole.slice(0, rnd.below(whole.length)), text: false }
    }
    case 4:
      return {
        kind: 'frame',
        label: 'frame: request with a non-string method',
        bytes: framed(FRAME_KIND.request, id, encodable({ m: hostileValue(rnd, 1), a: hostileValue(rnd, 1) })),
        text: false
      }
    case 5: {
      // More values than the host decodes: an array of 400,000 small ints (400 KB).
      const n = 400_000
      const body = new Uint8Array(5 + n)
      body[0] = 0xdd
      new DataView(body.buffer).setUint32(1, n)
      return {
        kind: 'frame',
        label: 'frame: too many values',
        bytes: framed(FRAME_KIND.request, id, body),
        text: false
      }
    }
    case 6: {
      // A container that announces 2^32 - 1 children and sends none.
      const body = new Uint8Array([0x82, 0xa1, 0x6d, 0xa3, 0x61, 0x62, 0x63, 0xa1, 0x61, 0xdf, 0xff, 0xff, 0xff, 0xff])
      return {
        kind: 'frame',
        label: 'frame: announced, not sent',
        bytes: framed(FRAME_KIND.request, id, body),
        text: false
      }
    }
    case 7: {
      // Flip a few bytes of a good request.
      const bytes = encodeFrame({ type: 'request', id, method: 'commitStroke', arg: { stroke: validStroke(rnd) } })
      for (let i = 0, n = 1 + rnd.below(4); i < n; i++)
        bytes[HEADER_BYTES + rnd.below(bytes.length - HEADER_BYTES)] ^= 1 << rnd.below(8)
      return { kind: 'frame', label: 'frame: flipped bits', bytes, text: false }
    }
    default:
      return {
        kind: 'frame',
        label: 'frame: text',
        bytes: new TextEncoder().encode(
          rnd.pick(['{"id":1,"method":"appInfo"}', '{"id":1,"method":{"toString":1}}', randomText(rnd, 30)])
        ),
        text: true
      }
  }
}

// ---- raw HTTP ----

const BAD_TARGETS = [
  'http://[',
  '//[',
  'http://a:99999/',
  'http://%zz/',
  '/%',
  '/%zz',
  '/%E0%A4%A',
  '/%00',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..%2f..%2fetc%2fpasswd',
  '/assets/../../../etc/passwd',
  '*',
  '',
  '/?token=%',
  '/?token[]=1&token=2',
  '/api?token=%ff',
  '/\\..\\..\\',
  'http://127.0.0.1:1/',
  '/' + 'a'.repeat(10_000),
  '/%C0%AE%C0%AE/',
  '/index.html%00.png',
  '/%ED%A0%80'
]

const TOKEN_FORMS = (token: string): string[] => [
  `?token=${token}`,
  `?token=${token}x`,
  `?token=${encodeURIComponent(token).toUpperCase()}`,
  '?token=',
  `?token=${token}&token=nope`,
  ''
]

function httpCase(rnd: SeededRandom, ctx: FuzzContext): FuzzCase {
  const own = `127.0.0.1:${ctx.port}`
  const cookie = `sightline_token=${ctx.token}`
  const crlf = '\r\n'
  const method = rnd.chance(0.7)
    ? 'GET'
    : rnd.pick([
        'HEAD',
        'POST',
        'PUT',
        'DELETE',
        'OPTIONS',
        'TRACE',
        'CONNECT',
        'get',
        'G\u0000ET',
        'PRI',
        'X'.repeat(50)
      ])
  const path = rnd.chance(0.5)
    ? rnd.pick(BAD_TARGETS)
    : rnd.pick(['/', '/index.html', '/api', '/assets/none.js', '/favicon.ico']) + rnd.pick(TOKEN_FORMS(ctx.token))
  const version = rnd.chance(0.85) ? 'HTTP/1.1' : rnd.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1x', ''])
  const headers: string[] = []
  const hostHeader = rnd.chance(0.8)
    ? own
    : rnd.pick(['evil.example', `localhost:${ctx.port}`, '', `${own}, evil`, '[::1]', 'a'.repeat(300)])
  if (rnd.chance(0.95)) headers.push(`Host: ${hostHeader}`)
  if (rnd.chance(0.1)) headers.push(`Host: ${own}`)
  if (rnd.chance(0.5))
    headers.push(`Cookie: ${rnd.pick([cookie, `${cookie}; ${cookie}x`, 'sightline_token', '=;=;', `a=b; ${cookie}`])}`)
  if (rnd.chance(0.25)) {
    headers.push('Upgrade: websocket', 'Connection: Upgrade')
    headers.push(`Sec-WebSocket-Version: ${rnd.pick(['13', '8', 'x', ''])}`)
    headers.push(`Sec-WebSocket-Key: ${rnd.pick(['dGhlIHNhbXBsZSBub25jZQ==', 'short', '', '!!!!'])}`)
    if (rnd.chance(0.5)) headers.push(`Origin: ${rnd.pick([`http://${own}`, 'http://evil.example', 'null'])}`)
    if (rnd.chance(0.3))
      headers.push(
        `Sec-WebSocket-Extensions: ${rnd.pick(['permessage-deflate; client_max_window_bits=99', 'x; y="', ',,,'])}`
      )
    if (rnd.chance(0.2)) headers.push(`Sec-WebSocket-Protocol: ${rnd.pick(['a,a', ' ', 'x y'])}`)
  }
  if (rnd.chance(0.15))
    headers.push(
      rnd.pick([
        'Content-Length: 5',
        'Content-Length: -1',
        'Content-Length: 99999999999999999999',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: chunked, identity',
        'Content-Length: 3\r\nTransfer-Encoding: chunked',
        'Expect: 100-continue',
        'X-Bad\u0000Header: 1',
        'X-Long: ' + 'v'.repeat(20_000),
        'No-Colon',
        ' Leading-Space: 1'
      ])
    )
  let text = `${method} ${path}${version ? ' ' + version : ''}${crlf}${headers.join(crlf)}${crlf}${crlf}`
  if (rnd.chance(0.1))
    text += rnd.pick(['hello', '0\r\n\r\n', 'zz\r\n', `GET /?token=${ctx.token} HTTP/1.1\r\nHost: ${own}\r\n\r\n`])
  let bytes: Uint8Array = new TextEncoder().encode(text)
  let how = `${method} ${path.slice(0, 40)}`
  if (rnd.chance(0.08)) {
    bytes = randomBytes(rnd, 1 + rnd.below(300))
    how = 'random bytes'
  } else if (rnd.chance(0.08)) {
    bytes = bytes.slice(0, rnd.below(bytes.length))
    how += ' (truncated)'
  }
  return { kind: 'http', label: `http: ${how}`, bytes, then: rnd.chance(0.5) ? 'half-close' : 'wait' }
}
