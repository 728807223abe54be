// Combined images in the original tool's layout (docs/scoring.md section 5), generated from a
// seed: the reference in columns 0..499, a drawn copy (the same shapes, shifted, rescaled and
// wobbling, some left out) in columns 510..1009. Antialiased strokes on white, as the tool saved
// them. For the batch benchmark and the class-report tests; never read by the product.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'

/** A small, fast, seedable generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Shape {
  kind: 'line' | 'ellipse' | 'curve'
  p: number[]
}

function shapes(rand: () => number): Shape[] {
  const n = 3 + Math.floor(rand() * 5)
  const at = (): number => 40 + rand() * 420
  const out: Shape[] = []
  for (let i = 0; i < n; i++) {
    const r = rand()
    if (r < 0.4) out.push({ kind: 'line', p: [at(), at(), at(), at()] })
    else if (r < 0.7) out.push({ kind: 'ellipse', p: [at(), at(), 20 + rand() * 90, 20 + rand() * 90, rand() * 180] })
    else out.push({ kind: 'curve', p: [at(), at(), at(), at(), at(), at()] })
  }
  return out
}

function svgOf(list: Shape[], dx: number, dy: number, scale: number, wobble: number, rand: () => number): string {
  const j = (v: number): number => v + (rand() - 0.5) * 2 * wobble
  const X = (x: number): number => 250 + (x - 250) * scale + dx
  const Y = (y: number): number => 250 + (y - 250) * scale + dy
  const parts = list.map((s) => {
    const [a, b, c, d, e, f] = s.p
    if (s.kind === 'line') return `<line x1="${j(X(a))}" y1="${j(Y(b))}" x2="${j(X(c))}" y2="${j(Y(d))}"/>`
    if (s.kind === 'ellipse')
      return `<ellipse cx="${j(X(a))}" cy="${j(Y(b))}" rx="${c * scale + j(0)}" ry="${d * scale + j(0)}" transform="rotate(${e} ${X(a)} ${Y(b)})"/>`
    return `<path d="M${j(X(a))} ${j(Y(b))} Q${j(X(c))} ${j(Y(d))} ${j(X(e))} ${j(Y(f))}"/>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="500" height="500" fill="#fff"/><g fill="none" stroke="#111" stroke-width="2.5" stroke-linecap="round">${parts.join('')}</g></svg>`
}

/** The two 500 x 500 halves of study `index` of a seeded set, as RGB pixels. */
export async function studyHalves(
  seed: number,
  index: number,
  hand = 0
): Promise<{ reference: Buffer; drawing: Buffer }> {
  const rand = seededRandom(seed * 7919 + index)
  const list = shapes(rand)
  // hand 0: one stream for both halves (the benchmark's images, unchanged). Any other hand: the
  // same reference for every hand and a drawing of that hand's own, as students of one class.
  const own = hand === 0 ? rand : seededRandom((seed * 7919 + index) * 131 + hand)
  const skill = own()
  const drawn = list.filter(() => own() > 0.15 * skill)
  const kept = drawn.length > 0 ? drawn : list.slice(0, 1)
  const dx = (own() - 0.5) * 40 * skill
  const dy = (own() - 0.5) * 40 * skill
  const scale = 1 + (own() - 0.5) * 0.2 * skill
  const render = (svg: string): Promise<Buffer> => sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer()
  return {
    reference: await render(svgOf(list, 0, 0, 1, 0, rand)),
    drawing: await render(svgOf(kept, dx, dy, scale, 1 + 6 * skill, own))
  }
}

/** One combined PNG (1010 x 500, RGB, white gap) from two 500 x 500 RGB halves. */
export async function combinedPng(reference: Buffer, drawing: Buffer): Promise<Buffer> {
  const width = 1010
  const rgb = Buffer.alloc(width * 500 * 3, 255)
  for (let y = 0; y < 500; y++) {
    reference.copy(rgb, y * width * 3, y * 1500, (y + 1) * 1500)
    drawing.copy(rgb, (y * width + 510) * 3, y * 1500, (y + 1) * 1500)
  }
  // No row filters, as the original tool's files (and what the Python yardstick reads quickly).
  return sharp(rgb, { raw: { width, height: 500, channels: 3 } })
    .png({ adaptiveFiltering: false })
    .toBuffer()
}

/** Write `count` combined images `study-0000.png`, ... into `folder`; returns their names. */
export async function writeCombinedFolder(folder: string, count: number, seed = 1): Promise<string[]> {
  await mkdir(folder, { recursive: true })
  const names: string[] = []
  for (let i = 0; i < count; i++) {
    const { reference, drawing } = await studyHalves(seed, i)
    const name = `study-${String(i).padStart(4, '0')}.png`
    await sharp(await combinedPng(reference, drawing)).toFile(join(folder, name))
    names.push(name)
  }
  return names
}
