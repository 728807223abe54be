import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { classCsv, classRows, classStudies, NO_STUDENT } from '#main/batch/class-report.ts'
import { scanFolder } from '#main/batch/scan.ts'
import type { StudyResult } from '#main/batch/study-task.ts'
import { drawingFromOps, drawingFromPng } from '#main/batch/attempt-study.ts'
import { renderDrawingPng } from '#main/render/drawing.ts'
import { runCli } from '#main/shells/cli/main.ts'
import type { Evaluation } from '#shared/contract/scores.ts'
import { writeClassFolder } from '#tools/class-folder.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const scored = (top5Error: number): Evaluation => ({ status: 'scored', top5Error }) as unknown as Evaluation
const empty: Evaluation = { status: 'empty', reason: 'no drawing yet', referencePixels: 5, drawingPixels: 0 }

function attempt(
  file: string,
  refId: string,
  top5: number | null,
  startedAt: string,
  student: string | null = null
): StudyResult {
  return {
    ok: true,
    kind: 'attempt',
    file,
    evaluation: top5 === null ? empty : scored(top5),
    reference: { id: refId, name: refId.toUpperCase() },
    student,
    startedAt,
    drill: null,
    drawingFrom: 'png'
  }
}

async function cli(...argv: string[]) {
  const out: string[] = [],
    err: string[] = []
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

describe('class report rows', () => {
  it('one per student and reference: attempts in the order drawn, best, mean, first, latest', () => {
    const results: StudyResult[] = [
      attempt('ana/a2.json', 'vase', 3, '2026-01-02T10:00:00Z'),
      attempt('ana/a1.json', 'vase', 5, '2026-01-01T10:00:00Z'),
      attempt('ana/a3.json', 'vase', null, '2026-01-03T10:00:00Z'),
      attempt('ana/b1.json', 'cube', 2, '2026-01-01T11:00:00Z'),
      // The name in the export wins over the folder.
      attempt('misc/x.json', 'vase', 4, '2026-01-01T09:00:00Z', 'Ben'),
      attempt('loose.json', 'cube', 1, '2026-01-01T09:00:00Z'),
      { ok: false, file: 'ana/bad.json', reason: 'not a session export' },
      { ok: true, kind: 'combined', file: 'ana/old1.png', evaluation: scored(7), referenceKey: 'k1', decodedBy: 'png' },
      { ok: true, kind: 'combined', file: 'ben/old9.png', evaluation: scored(6), referenceKey: 'k1', decodedBy: 'png' }
    ]
    const rows = classRows(classStudies(results))
    expect(
      rows.map((r) => [r.student, r.referenceName, r.attempts, r.best, r.mean, r.first, r.latest, r.bestFile])
    ).toEqual([
      [NO_STUDENT, 'CUBE', 1, 1, 1, 1, 1, 'loose.json'],
      ['ana', 'CUBE', 1, 2, 2, 2, 2, 'ana/b1.json'],
      ['ana', 'old1', 1, 7, 7, 7, 7, 'ana/old1.png'],
      ['ana', 'VASE', 3, 3, 4, 5, 3, 'ana/a2.json'],
      ['ben', 'old1', 1, 6, 6, 6, 6, 'ben/old9.png'],
      ['Ben', 'VASE', 1, 4, 4, 4, 4, 'misc/x.json']
    ])
    expect(rows[3].latestFile).toBe('ana/a3.json')
  })

  it('writes CSV a spreadsheet cannot be tricked by', () => {
    const rows = classRows(
      classStudies([attempt('=cmd|x/a.json', 'vase', 1.23456, '2026-01-01T00:00:00Z', '=HYPERLINK("x")')])
    )
    const csv = classCsv(rows)
    expect(csv.split('\r\n')[0]).toBe(
      'student,reference,reference_id,attempts,best_top5_error,mean_top5_error,first_top5_error,latest_top5_error,drill_figure,drill_unit,drill_best,drill_latest,best_file'
    )
    expect(csv.split('\r\n')[1]).toBe(`"'=HYPERLINK(""x"")",VASE,vase,1,1.235,1.235,1.235,1.235,,,,,'=cmd|x/a.json`)
  })
})

describe('report folders', () => {
  const dir = tempDir()

  it('tell exports, their pictures, combined images and packs apart', async () => {
    const f = join(dir, 'scan')
    for (const p of [
      'ana/a.json',
      'ana/a-drawing.png',
      'ana/a-heatmap.png',
      'ana/b.json',
      'ana/old.png',
      'x-drawing.png',
      'c.sightline-pack.json',
      '.hidden/z.png',
      'notes.txt'
    ]) {
      mkdirSync(join(f, p, '..'), { recursive: true })
      writeFileSync(join(f, p), '')
    }
    expect(await scanFolder(f)).toEqual({
      combined: ['ana/old.png', 'x-drawing.png'],
      attempts: [
        { json: 'ana/a.json', drawing: 'ana/a-drawing.png' },
        { json: 'ana/b.json', drawing: null }
      ],
      packs: ['c.sightline-pack.json']
    })
  })

  it('read an exported drawing at 1x and 2x as the mask it was made from, and refuse other pictures', async () => {
    const frame = { width: 80, height: 64 }
    const mask = Uint8Array.from({ length: 80 * 64 }, (_, p) => (p % 7 === 0 || p % 11 === 0 ? 1 : 0))
    for (const scale of [1, 2] as const) {
      const path = join(dir, `d${scale}.png`)
      writeFileSync(path, await renderDrawingPng(frame, { mask }, scale))
      expect(await drawingFromPng(path, frame)).toEqual(mask)
    }
    writeFileSync(
      join(dir, 'rgb.png'),
      await sharp({ create: { width: 80, height: 64, channels: 3, background: '#f00' } })
        .png()
        .toBuffer()
    )
    await expect(drawingFromPng(join(dir, 'rgb.png'), frame)).rejects.toThrow('rgb.png: not a drawing exported')
    await expect(drawingFromPng(join(dir, 'd1.png'), { width: 64, height: 64 })).rejects.toThrow(
      'not a drawing exported'
    )
  })

  it('score a class folder again to the same evaluation the studio gave each attempt, and write CSV, JSON and sheets', async () => {
    const folder = join(dir, 'class')
    const { pack } = await writeClassFolder(folder, { students: 2, references: 2, attempts: 1, combined: 1, seed: 4 })
    const out = join(dir, 'out')
    const { code, err } = await cli('report', folder, '--out', out, '--workers', '2')
    expect(code).toBe(0)
    expect(err).toContain(
      'sightline: skipped Ana/damaged.png: this is not an image Sightline can read (use PNG, JPEG, WebP, AVIF, TIFF, GIF or SVG)'
    )
    const report = JSON.parse(readFileSync(join(out, 'class-report.json'), 'utf8'))
    const attempts = report.studies.filter((s: { file: string }) => s.file.endsWith('.json'))
    expect(attempts).toHaveLength(4)
    for (const s of attempts) {
      // What the studio computed (streaming evaluator, strokes) and what the report computes
      // (full recomputation, drawing PNG, the reference out of the pack) are the same numbers.
      const exported = JSON.parse(readFileSync(join(folder, s.file), 'utf8'))
      expect(s.evaluation).toEqual(exported.evaluation)
      expect(drawingFromOps(exported.ops, exported.frame)).toEqual(
        await drawingFromPng(join(folder, s.file.replace('.json', '-drawing.png')), exported.frame)
      )
    }
    const csv = readFileSync(join(out, 'class-report.csv'), 'utf8').trim().split('\r\n')
    expect(csv).toHaveLength(1 + 2 * 3)
    // The old tool's study: one reference for the class, each student's own drawing of it.
    const study = csv.filter((l) => l.includes(',old tool study 1,')).map((l) => l.split(','))
    expect(study.map((r) => r[0])).toEqual(['Ana', 'Ben'])
    expect(study[0][2]).toBe(study[1][2])
    expect(readFileSync(join(folder, 'Ana', 'old tool study 1.png'))).not.toEqual(
      readFileSync(join(folder, 'Ben', 'old tool study 1.png'))
    )
    for (const name of ['Ana', 'Ben']) {
      const meta = await sharp(join(out, 'sheets', `${name}.png`)).metadata()
      expect([meta.width, meta.height]).toEqual([1240, 1754])
    }
    // Without the pack, the attempts cannot be scored again, and say so; the rest still is.
    const packCopy = join(dir, 'the pack.sightline-pack.json')
    writeFileSync(packCopy, readFileSync(pack))
    rmSync(pack)
    const again = await cli('report', folder, '--json')
    expect(again.code).toBe(0)
    expect(again.err.filter((l) => l.includes('pass the assignment pack with --pack'))).toHaveLength(4)
    expect(JSON.parse(again.out[0]).count).toBe(2)
    // ...and given with --pack they are found again.
    const withPack = await cli('report', folder, '--json', '--pack', packCopy)
    expect(JSON.parse(withPack.out[0]).count).toBe(6)
  }, 180_000)

  it('refuses a pack given on the command line that is not one', async () => {
    writeFileSync(join(dir, 'fake.sightline-pack.json'), '{"format":"something"}')
    const { code, err } = await cli('report', dir, '--pack', join(dir, 'fake.sightline-pack.json'))
    expect(code).toBe(2)
    expect(err[0]).toContain('fake.sightline-pack.json: not an assignment pack')
    expect((await cli('report', dir, '--workers', '0')).err[0]).toContain(
      '--workers must be a whole number from 1 to 64'
    )
  })
})
