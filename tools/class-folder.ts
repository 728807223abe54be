// A class folder made the way a class would make one: a teacher's assignment pack (references
// drawn here as line drawings with known shapes), students who import it and draw each
// reference in a real studio (strokes that follow the shapes, as well as each student's hand
// allows), and the exports they hand in, one folder per student; plus a few combined images of
// the original tool and a damaged file. For the class-report tests and `npm run make-class`.
import { mkdir, writeFile } from 'node:fs/promises'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { createStudio } from '#main/app.ts'
import { exportPack, importPack } from '#main/packs/packs.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import type { SessionPlan } from '#shared/contract/sessions.ts'
import type { StrokePoint } from '#shared/stroke/types.ts'
import { combinedPng, seededRandom, studyHalves } from './combined-images.ts'

type Polyline = { x: number; y: number }[]

const NAMES = ['Ana', 'Ben', 'Chloé', 'Dev', 'Eli', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lena']

/** A reference as polylines on a 500 x 500 frame (ellipses as many-sided polygons). */
function referenceShapes(seed: number): { name: string; lines: Polyline[] } {
  const rand = seededRandom(seed)
  const lines: Polyline[] = []
  const n = 2 + Math.floor(rand() * 3)
  for (let i = 0; i < n; i++) {
    if (rand() < 0.5) {
      const cx = 120 + rand() * 260,
        cy = 120 + rand() * 260,
        rx = 40 + rand() * 70,
        ry = 30 + rand() * 60
      lines.push(
        Array.from({ length: 73 }, (_, k) => ({
          x: cx + rx * Math.cos((k / 72) * 2 * Math.PI),
          y: cy + ry * Math.sin((k / 72) * 2 * Math.PI)
        }))
      )
    } else {
      const pts = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => ({
        x: 60 + rand() * 380,
        y: 60 + rand() * 380
      }))
      lines.push(pts)
    }
  }
  return { name: ['Still life', 'Teapot', 'Chair', 'Shoe', 'Hand', 'Bottle'][seed % 6], lines }
}

async function referencePng(lines: Polyline[]): Promise<Uint8Array> {
  const paths = lines.map(
    (l) => `<polyline points="${l.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}"/>`
  )
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="500" height="500" fill="#fff"/><g fill="none" stroke="#000" stroke-width="3" stroke-linejoin="round">${paths.join('')}</g></svg>`
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer())
}

/** A polyline as pen strokes of a hand of this skill (0 steady .. 1 shaky): shifted, wobbling, resampled. */
function strokesOf(line: Polyline, skill: number, rand: () => number): StrokePoint[][] {
  const dx = (rand() - 0.5) * 30 * skill,
    dy = (rand() - 0.5) * 30 * skill,
    scale = 1 + (rand() - 0.5) * 0.2 * skill
  const points: StrokePoint[] = []
  let t = 0
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i],
      b = line[i + 1]
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 4))
    for (let k = 0; k < steps; k++) {
      const f = k / steps
      const wobble = Math.sin((points.length / 9) * (1 + skill)) * 4 * skill
      points.push({
        x: 250 + (a.x + (b.x - a.x) * f - 250) * scale + dx + wobble,
        y: 250 + (a.y + (b.y - a.y) * f - 250) * scale + dy - wobble,
        pressure: 0.6,
        tiltX: 0,
        tiltY: 0,
        t: (t += 8)
      })
    }
  }
  return [points]
}

export interface ClassFolderOptions {
  students?: number
  references?: number
  attempts?: number
  combined?: number
  seed?: number
}

/** Write the class folder; returns its pack's path and the students' names. */
export async function writeClassFolder(
  folder: string,
  options: ClassFolderOptions = {}
): Promise<{ pack: string; students: string[] }> {
  const { students = 4, references = 3, attempts = 2, combined = 3, seed = 1 } = options
  await mkdir(folder, { recursive: true })
  const work = mkdtempSync(join(tmpdir(), 'sightline-class-'))
  try {
    const teacher = await createStudio({
      shell: 'host',
      resourcesDir: defaultResourcesDir(),
      dataDir: join(work, 'teacher')
    })
    const shapes = Array.from({ length: references }, (_, i) => referenceShapes(seed * 100 + i))
    const ids: string[] = []
    for (const [i, s] of shapes.entries()) {
      const ref = await teacher.services.references.importReference(
        { fileName: `${s.name} ${i + 1}.png`, bytes: await referencePng(s.lines) },
        { mode: 'threshold', threshold: 128 }
      )
      ids.push(ref.id)
    }
    const plan: SessionPlan = {
      title: 'Class assignment',
      mode: 'copy',
      studySeconds: 10,
      order: 'listed',
      count: references,
      seconds: [120],
      items: ids.map((referenceId) => ({ referenceId }))
    }
    const packFile = await exportPack(teacher.services.references, plan, { author: 'Teacher' })
    const pack = join(folder, packFile.name)
    await writeFile(pack, packFile.bytes)
    await teacher.dispose()

    const names = NAMES.slice(0, students)
    for (const [si, name] of names.entries()) {
      const rand = seededRandom(seed * 1000 + si)
      const skill = 0.15 + 0.8 * rand()
      const studio = await createStudio({
        shell: 'host',
        resourcesDir: defaultResourcesDir(),
        dataDir: join(work, `s${si}`)
      })
      // Each student's studio knows their name: their exports carry it.
      await studio.api.updateSettings({ name })
      const { plan: mine } = await importPack(studio.services.references, packFile.name, packFile.bytes)
      const dir = join(folder, name)
      await mkdir(dir, { recursive: true })
      for (const [ri, item] of mine.items.entries()) {
        for (let a = 0; a < attempts; a++) {
          // Practice helps: later attempts are steadier.
          const hand = Math.max(0.05, skill * (1 - 0.25 * a))
          const attempt = await studio.api.startAttempt({ referenceId: item.referenceId })
          for (const line of shapes[ri].lines)
            for (const points of strokesOf(line, hand, rand))
              await studio.api.commitStroke({ attemptId: attempt.attemptId, stroke: { tool: 'pen', size: 3, points } })
          const result = await studio.api.exportAttempt({ attemptId: attempt.attemptId, view: 'combined', scale: 1 })
          if (result.kind !== 'download') throw new Error('the host studio hands exports back as files')
          for (const f of result.files) {
            // The export's base name is the reference and time; one per attempt here.
            await writeFile(
              join(
                dir,
                f.name.replace(
                  /^(.*?)(-heatmap\.png|-drawing\.png|\.json)$/,
                  `${shapes[ri].name} ${ri + 1} attempt ${a + 1}$2`
                )
              ),
              f.bytes
            )
          }
          await studio.api.finishAttempt({ attemptId: attempt.attemptId })
        }
      }
      await studio.dispose()
      for (let c = 0; c < combined; c++) {
        const { reference, drawing } = await studyHalves(seed, c, si + 1)
        await writeFile(join(dir, `old tool study ${c + 1}.png`), await combinedPng(reference, drawing))
      }
    }
    await writeFile(join(folder, names[0], 'damaged.png'), Buffer.from('not a png at all'))
    return { pack, students: names }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

if (import.meta.main) {
  const folder = process.argv[2]
  if (!folder) {
    console.error('usage: node tools/class-folder.ts FOLDER [students] [references] [attempts]')
    process.exit(2)
  }
  const [students, references, attempts] = process.argv.slice(3).map(Number)
  const made = await writeClassFolder(folder, {
    students: students || 6,
    references: references || 4,
    attempts: attempts || 3
  })
  console.log(`class folder ${folder}: ${made.students.join(', ')}; pack ${made.pack}`)
}
