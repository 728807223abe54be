import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { exportPack, importPack } from '#main/packs/packs.ts'
import { MAX_PACK_BYTES, parsePack, PackError } from '#main/packs/pack-format.ts'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const dirs = tempDir()
let n = 0
const studio = () => openStudio({ dataDir: join(dirs, `d${n++}`) })

async function drawingPng(): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#fff"/><circle cx="150" cy="100" r="70" fill="none" stroke="#777" stroke-width="6"/></svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer())
}

async function teacherPack(): Promise<{
  plan: SessionPlan
  file: { name: string; bytes: Uint8Array }
  mask: Uint8Array
}> {
  const teacher = await studio()
  const { references } = teacher.services
  const ref = await references.importReference(
    { fileName: 'Circle study.png', bytes: await drawingPng() },
    { mode: 'threshold', threshold: 200 }
  )
  await references.setInk('bundled:' + (await references.list())[0].id.split(':')[1], {
    mode: 'threshold',
    threshold: 90
  })
  const bundledId = (await references.list())[0].id
  const plan: SessionPlan = {
    title: 'Week 3: circles / ellipses',
    mode: 'memory',
    studySeconds: 20,
    order: 'random',
    count: 4,
    seconds: [30, 60],
    items: [{ referenceId: ref.id, seconds: 120 }, { referenceId: bundledId }, { referenceId: 'drill:ellipse:42' }]
  }
  const file = await exportPack(references, plan, { author: 'Ms Lee' })
  return { plan, file, mask: (await references.loadReferenceInk(ref.id, await references.frameOf(ref.id))).mask }
}

describe('assignment packs', () => {
  it('carry a plan and its references from one studio to another, with the same ids and ink', async () => {
    const { plan, file, mask } = await teacherPack()
    expect(file.name).toBe('Week 3 circles ellipses.sightline-pack.json')
    const student = await studio()
    const imported = await importPack(student.services.references, file.name, file.bytes)
    expect(imported.plan).toEqual(plan)
    expect(imported.author).toBe('Ms Lee')
    const { references } = student.services
    const lib = plan.items[0].referenceId
    expect((await references.summary(lib)).ink).toEqual({ mode: 'threshold', threshold: 200 })
    expect((await references.loadReferenceInk(lib, await references.frameOf(lib))).mask).toEqual(mask)
    expect((await references.summary(plan.items[1].referenceId)).ink).toEqual({ mode: 'threshold', threshold: 90 })
    // Importing it again changes nothing.
    expect((await importPack(references, file.name, file.bytes)).plan).toEqual(plan)
  })

  it('refuses a damaged or foreign file with what is wrong, writing nothing', async () => {
    const { file } = await teacherPack()
    const pack = JSON.parse(new TextDecoder().decode(file.bytes))
    const text = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v))
    const edit = (f: (p: typeof pack) => void) => {
      const copy = structuredClone(pack)
      f(copy)
      return text(copy)
    }
    const notAnImage = Buffer.from('this is text, not an image, but its checksum is right')
    const sha = (await import('node:crypto')).createHash('sha256').update(notAnImage).digest('hex')
    const cases: [string, Uint8Array, string][] = [
      ['empty', new Uint8Array(0), 'the file is empty'],
      ['not JSON', text('{"format": "sightline-pack", '), 'not an assignment pack'],
      ['not UTF-8', Uint8Array.of(0xff, 0xfe, 0x7b), 'not an assignment pack'],
      ['another format', text({ format: 'sightline-session', version: 1 }), 'no "format": "sightline-pack"'],
      ['a newer version', edit((p) => (p.version = 2)), 'of version 2; this app reads version 1'],
      ['a time out of range', edit((p) => (p.plan.seconds = [5])), 'plan.seconds.0'],
      ['an unknown field', edit((p) => (p.plan.extra = 1)), 'plan '],
      ['control characters', edit((p) => (p.plan.title = 'a\u0007b')), 'plan.title has control characters'],
      ['no items', edit((p) => (p.items = [])), 'items'],
      ['not base64', edit((p) => (p.items[0].data = '*not base64*')), 'items.0.data is not base64'],
      [
        'a wrong checksum',
        edit((p) => (p.items[0].sha256 = '0'.repeat(64))),
        'item 1 (Circle study.png) does not match its checksum'
      ],
      ['a bad drill id', edit((p) => (p.items[2].id = 'drill:ellipse:x')), 'items.2.id is not a drill id'],
      [
        'an unknown bundled reference',
        edit((p) => (p.items[1].id = 'bundled:nope')),
        'item 2 is bundled:nope, which this version'
      ],
      [
        'an image that is not one',
        edit((p) => {
          p.items[0].data = notAnImage.toString('base64')
          p.items[0].sha256 = sha
        }),
        'item 1 (Circle study.png): Circle study.png: this is not an image'
      ]
    ]
    const student = await studio()
    for (const [what, bytes, message] of cases) {
      const err = await importPack(student.services.references, 'a.sightline-pack.json', bytes).then(
        () => null,
        (e: unknown) => e
      )
      expect(err, what).toBeInstanceOf(StudioError)
      expect((err as Error).message, what).toContain('a.sightline-pack.json: ')
      expect((err as Error).message, what).toContain(message)
    }
    expect(await student.services.references.list().then((l) => l.filter((r) => r.source === 'library'))).toEqual([])
    expect(() => parsePack('big.json', { length: MAX_PACK_BYTES + 1 } as Uint8Array)).toThrow(PackError)
  })

  it('never fails other than with a StudioError, whatever the bytes', async () => {
    const { file } = await teacherPack()
    const student = await studio()
    const text = new TextDecoder().decode(file.bytes)
    await fc.assert(
      fc.asyncProperty(fc.nat(text.length - 1), fc.string({ minLength: 0, maxLength: 3 }), async (at, insert) => {
        const bytes = new TextEncoder().encode(text.slice(0, at) + insert + text.slice(at + 1))
        await importPack(student.services.references, 'f.json', bytes).catch((err: unknown) => {
          expect(err).toBeInstanceOf(StudioError)
        })
      }),
      { numRuns: 60 }
    )
  }, 120_000)
})
