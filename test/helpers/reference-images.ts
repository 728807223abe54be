// References of the shapes people bring, made with sharp in the test: a 3000 x 600 panorama (a
// line drawing of hills, a horizon and a few trees) and a photo-like still life (smooth light,
// soft shadows, grain), so the studio is tried with more than the bundled square drawings.
import sharp from 'sharp'

/** A 3000 x 600 line drawing, black on white. */
export async function panoramaPng(): Promise<Buffer> {
  const [w, h] = [3000, 600]
  const hills = Array.from({ length: 31 }, (_, i) => {
    const x = i * 100
    const y = 330 - 110 * Math.sin(i / 3.1) - 60 * Math.sin(i / 1.3 + 1)
    return `${i === 0 ? 'M' : 'L'}${x} ${y.toFixed(0)}`
  }).join(' ')
  const trees = [420, 980, 1510, 1580, 2240, 2710]
    .map((x) => `<path d="M${x} 470 L${x} 420 M${x - 28} 430 L${x} 340 L${x + 28} 430 Z" />`)
    .join('')
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<rect width="${w}" height="${h}" fill="#fff"/>
<g fill="none" stroke="#111" stroke-width="7" stroke-linecap="round" stroke-linejoin="round">
<path d="${hills}" /><path d="M0 470 L3000 470" />${trees}
<path d="M2050 120 a55 55 0 1 0 1 0" />
</g></svg>`
  return sharp(Buffer.from(svg)).png().toBuffer()
}

/** A 1600 x 1200 photo-like JPEG: a lit wall, a table, a bowl and a bottle with soft shadows and grain. */
export async function photoJpeg(): Promise<Buffer> {
  const [w, h] = [1600, 1200]
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<defs>
<linearGradient id="wall" x1="0" y1="0" x2="1" y2="0.6"><stop offset="0" stop-color="#d9cbb3"/><stop offset="1" stop-color="#7d8a92"/></linearGradient>
<linearGradient id="table" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8b5e3c"/><stop offset="1" stop-color="#4a2f1e"/></linearGradient>
<radialGradient id="bowl" cx="0.35" cy="0.3" r="0.8"><stop offset="0" stop-color="#f1ede4"/><stop offset="1" stop-color="#8c8678"/></radialGradient>
<linearGradient id="bottle" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="#1d3b2a"/><stop offset="0.4" stop-color="#4f7d5e"/><stop offset="1" stop-color="#13261b"/></linearGradient>
<filter id="soft"><feGaussianBlur stdDeviation="18"/></filter>
</defs>
<rect width="${w}" height="${h}" fill="url(#wall)"/>
<rect y="760" width="${w}" height="440" fill="url(#table)"/>
<ellipse cx="720" cy="900" rx="360" ry="60" fill="#2a1a10" opacity="0.55" filter="url(#soft)"/>
<path d="M420 760 Q720 1010 1020 760 Z" fill="url(#bowl)"/>
<ellipse cx="720" cy="760" rx="300" ry="48" fill="#b9b2a3"/>
<circle cx="640" cy="720" r="85" fill="#b3422f"/><circle cx="790" cy="730" r="70" fill="#d08a2c"/>
<rect x="1150" y="360" width="170" height="460" rx="40" fill="url(#bottle)"/>
<rect x="1205" y="220" width="60" height="170" rx="14" fill="url(#bottle)"/>
</svg>`
  const base = await sharp(Buffer.from(svg)).raw().toBuffer({ resolveWithObject: true })
  const px = base.data
  // Sensor grain: a fixed pattern, so every run makes the same file.
  for (let i = 0; i < px.length; i++) px[i] = Math.max(0, Math.min(255, px[i] + ((i * 2654435761) % 13) - 6))
  return sharp(px, { raw: { width: w, height: h, channels: base.info.channels } })
    .jpeg({ quality: 90 })
    .toBuffer()
}
