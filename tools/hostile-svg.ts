// Hostile SVGs, generated (never stored): what the decode budget and the SVG limits are tested and
// measured with (test/main/references/decode-budget.test.ts, bench/references.ts).

/**
 * A `<use>` bomb of about 1.5 KB: `levels` nested groups, each drawing the previous one `fan`
 * times, so the last one draws fan^levels paths (10^9 for the defaults).
 */
export function useBomb(levels = 9, fan = 10): string {
  const groups = [`<g id="l0"><path d="M0 0h1v1z"/></g>`]
  for (let i = 1; i <= levels; i++) {
    groups.push(`<g id="l${i}">${Array.from({ length: fan }, () => `<use href="#l${i - 1}"/>`).join('')}</g>`)
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><defs>${groups.join('')}</defs><use href="#l${levels}"/></svg>`
}

/** `count` small paths (100,000 make 4.4 MB): a file that is costly by its size alone. */
export function manyPaths(count = 100_000): string {
  const paths: string[] = []
  for (let i = 0; i < count; i++) {
    const x = (i * 37) % 1000
    const y = (i * 91) % 1000
    paths.push(`<path d="M${x} ${y}l3 5l-6 0z" stroke="#000"/>`)
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000">${paths.join('')}</svg>`
}

/**
 * Small and within every element limit, yet slow to draw: a dilation of radius `radius` over a
 * large canvas, which costs librsvg about radius^2 per pixel. What only the decoder's own time
 * limit can stop.
 */
export function slowFilter(side = 4000, radius = 120): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}"><defs><filter id="f" x="0" y="0" width="1" height="1"><feMorphology operator="dilate" radius="${radius}"/></filter></defs><rect width="${side}" height="${side}" fill="#345" filter="url(#f)"/><circle cx="${side / 2}" cy="${side / 2}" r="${side / 4}" fill="#fff" filter="url(#f)"/></svg>`
}

/**
 * Small and within every element limit, yet hungry: a filter that keeps `layers` full-canvas
 * results alive at once (each side^2 x 16 bytes), then merges them. What only the decoder's own
 * memory limit can stop.
 */
export function hungryFilter(side = 6000, layers = 24): string {
  const floods = Array.from(
    { length: layers },
    (_, i) =>
      `<feFlood flood-color="#${(i * 40503).toString(16).padStart(6, '0').slice(-6)}" flood-opacity="0.5" result="r${i}"/>`
  ).join('')
  const merge = Array.from({ length: layers }, (_, i) => `<feMergeNode in="r${i}"/>`).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}"><defs><filter id="f" x="0" y="0" width="1" height="1">${floods}<feMerge>${merge}</feMerge></filter></defs><rect width="${side}" height="${side}" fill="#fff" filter="url(#f)"/></svg>`
}
