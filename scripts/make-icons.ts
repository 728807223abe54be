// npm run make-icons: the app icon (resources/icons/icon.svg, our own drawing) rendered to every
// size the packages need, committed beside it: PNGs for Linux (16 to 1024 px), icon.ico for
// Windows and icon.icns for macOS, both holding PNG images (the formats allow it since Windows
// Vista and OS X 10.7). Run it again after changing the SVG.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { icns, ico } from './icon-containers.ts'

const DIR = join(import.meta.dirname, '..', 'resources', 'icons')
const svg = readFileSync(join(DIR, 'icon.svg'))

async function png(size: number): Promise<Buffer> {
  // Rendered at the size itself (librsvg), not scaled down from a large bitmap: crisp small icons.
  return sharp(svg, { density: (72 * size) / 1024 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toBuffer()
}

const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const pngs = new Map<number, Buffer>()
for (const size of SIZES) pngs.set(size, await png(size))
for (const size of SIZES) writeFileSync(join(DIR, `${size}x${size}.png`), pngs.get(size)!)
writeFileSync(join(DIR, 'icon.png'), pngs.get(1024)!)
writeFileSync(
  join(DIR, 'icon.ico'),
  ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs.get(size)! })))
)
// ic11 / ic12 / ic13 / ic14 are the @2x images of 16 / 32 / 128 / 256 points.
const ICNS_TYPES: [string, number][] = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512]
]
writeFileSync(join(DIR, 'icon.icns'), icns(ICNS_TYPES.map(([type, size]) => ({ type, data: pngs.get(size)! }))))
console.log(`icons written to ${DIR}: ${SIZES.map((s) => `${s}x${s}.png`).join(', ')}, icon.png, icon.ico, icon.icns`)
