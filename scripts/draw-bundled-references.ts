// Draws Sightline's own bundled references (line drawings made for this project) as SVG and
// renders them to the PNGs in resources/references/. Run: node scripts/draw-bundled-references.ts
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'

type P = [number, number]
const OUT = join(import.meta.dirname, '..', 'resources', 'references')
const INK = 'stroke="#111" stroke-width="6" stroke-linecap="round" stroke-linejoin="round" fill="none"'

const line = (a: P, b: P): string =>
  `<line x1="${a[0].toFixed(1)}" y1="${a[1].toFixed(1)}" x2="${b[0].toFixed(1)}" y2="${b[1].toFixed(1)}" ${INK}/>`
const poly = (pts: P[], closed = false): string =>
  `<${closed ? 'polygon' : 'polyline'} points="${pts.map((p) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(' ')}" ${INK}/>`
const path = (d: string): string => `<path d="${d}" ${INK}/>`
const ellipse = (cx: number, cy: number, rx: number, ry: number): string =>
  `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" ${INK}/>`
const svg = (w: number, h: number, body: string[]): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="#fff"/>${body.join('')}</svg>`

/** Where the line through a and b meets the line through c and d. */
function meet(a: P, b: P, c: P, d: P): P {
  const d1x = b[0] - a[0],
    d1y = b[1] - a[1],
    d2x = d[0] - c[0],
    d2y = d[1] - c[1]
  const t = ((c[0] - a[0]) * d2y - (c[1] - a[1]) * d2x) / (d1x * d2y - d1y * d2x)
  return [a[0] + d1x * t, a[1] + d1y * t]
}
const towards = (from: P, vp: P, x: number): P => [x, from[1] + ((vp[1] - from[1]) * (x - from[0])) / (vp[0] - from[0])]

function cube(): string {
  // Two-point perspective: horizon above the cube so its top face shows.
  const vl: P = [-480, 60],
    vr: P = [1400, 60]
  const ft: P = [450, 400],
    fb: P = [450, 760]
  const lt = towards(ft, vl, 230),
    lb = towards(fb, vl, 230)
  const rt = towards(ft, vr, 730),
    rb = towards(fb, vr, 730)
  const back = meet(lt, vr, rt, vl)
  const body = [
    line(ft, fb),
    line(lt, lb),
    line(rt, rb),
    line(ft, lt),
    line(ft, rt),
    line(fb, lb),
    line(fb, rb),
    line(lt, back),
    line(rt, back)
  ]
  return svg(1000, 1000, body)
}

function vase(): string {
  const cx = 400
  // Right half of the silhouette as a smooth path, mirrored for the left.
  const right = `M ${cx + 70} 150 C ${cx + 60} 230, ${cx + 40} 260, ${cx + 45} 300 C ${cx + 55} 380, ${cx + 230} 430, ${cx + 235} 600 C ${cx + 240} 760, ${cx + 150} 860, ${cx + 110} 900`
  const left = `M ${cx - 70} 150 C ${cx - 60} 230, ${cx - 40} 260, ${cx - 45} 300 C ${cx - 55} 380, ${cx - 230} 430, ${cx - 235} 600 C ${cx - 240} 760, ${cx - 150} 860, ${cx - 110} 900`
  const body = [
    path(right),
    path(left),
    ellipse(cx, 150, 70, 18), // lip
    path(`M ${cx - 110} 900 Q ${cx} 930 ${cx + 110} 900`), // base
    path(`M ${cx - 205} 520 Q ${cx} 575 ${cx + 205} 520`), // decorative band
    path(`M ${cx - 232} 640 Q ${cx} 705 ${cx + 232} 640`),
    path(`M ${cx - 44} 300 Q ${cx} 312 ${cx + 44} 300`) // neck ring
  ]
  return svg(800, 1000, body)
}

function stillLife(): string {
  const body = [
    line([40, 760], [1160, 760]), // table edge
    // cup: rim, body, base and handle
    ellipse(330, 430, 140, 38),
    path('M 190 430 C 195 560, 215 690, 250 745 Q 330 775 410 745 C 445 690, 465 560, 470 430'),
    path('M 466 500 C 560 490, 575 640, 445 660'),
    // apple with stem and leaf
    path(
      'M 760 520 C 700 470, 600 520, 610 620 C 620 720, 700 770, 760 740 C 820 770, 900 720, 910 620 C 920 520, 820 470, 760 520 Z'
    ),
    path('M 760 520 Q 765 480 785 450'),
    path('M 772 478 Q 830 430 880 470 Q 820 500 772 478 Z'),
    // a small box behind, to the right
    poly(
      [
        [930, 500],
        [1100, 470],
        [1130, 730],
        [960, 755]
      ],
      true
    ),
    line([930, 500], [990, 440]),
    line([1100, 470], [1150, 420]),
    line([990, 440], [1150, 420]),
    line([1150, 420], [1170, 690]),
    line([1170, 690], [1130, 730])
  ]
  return svg(1200, 900, body)
}

mkdirSync(join(OUT, 'source'), { recursive: true })
for (const [name, text] of [
  ['cube', cube()],
  ['vase', vase()],
  ['still-life', stillLife()]
] as const) {
  writeFileSync(join(OUT, 'source', `${name}.svg`), text)
  await sharp(Buffer.from(text))
    .png({ compressionLevel: 9 })
    .toFile(join(OUT, `${name}.png`))
  console.log(`wrote ${name}.png`)
}
