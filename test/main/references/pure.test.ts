import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { containRect } from '#main/references/fit.ts'
import { sniffFormat } from '#main/references/formats.ts'
import { histogram, inkByLuma, inkByLumaFloor, lumaFloor, otsuThreshold } from '#main/references/ink.ts'
import { composeInkPreview, PREVIEW_INK } from '#main/references/preview.ts'
import { svgExternalReference } from '#main/references/svg.ts'
import { cleanFileName } from '#main/references/service.ts'

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)))

describe('format sniffing', () => {
  it('recognises every format we read by its magic bytes', () => {
    expect(sniffFormat(bytes([0x89], 'PNG\r\n\x1a\n', [0, 0]))).toEqual({ kind: 'image', format: 'png' })
    expect(sniffFormat(bytes([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ kind: 'image', format: 'jpeg' })
    expect(sniffFormat(bytes('GIF89a', [1, 0]))).toEqual({ kind: 'image', format: 'gif' })
    expect(sniffFormat(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toEqual({ kind: 'image', format: 'webp' })
    expect(sniffFormat(bytes('II*', [0, 8, 0]))).toEqual({ kind: 'image', format: 'tiff' })
    expect(sniffFormat(bytes('MM', [0, 42, 0, 0, 0, 8]))).toEqual({ kind: 'image', format: 'tiff' })
    expect(sniffFormat(bytes([0, 0, 0, 28], 'ftypavif', [0, 0, 0, 0], 'avifmif1miaf'))).toEqual({
      kind: 'image',
      format: 'avif'
    })
    expect(sniffFormat(bytes([0, 0, 0, 24], 'ftypmif1', [0, 0, 0, 0], 'mif1avif'))).toEqual({
      kind: 'image',
      format: 'avif'
    })
    expect(
      sniffFormat(bytes([0xef, 0xbb, 0xbf], '  <?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))
    ).toEqual({ kind: 'image', format: 'svg' })
    expect(sniffFormat(bytes('<!-- made by hand -->\n<svg width="10">'))).toEqual({ kind: 'image', format: 'svg' })
  })

  it('names formats we recognise but do not read, and knows nothing else', () => {
    expect(sniffFormat(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0], 'mif1heic'))).toEqual({
      kind: 'unsupported',
      what: 'HEIC/HEIF'
    })
    expect(sniffFormat(bytes('BM', new Array(40).fill(0)))).toEqual({ kind: 'unsupported', what: 'BMP' })
    expect(sniffFormat(bytes('%PDF-1.7\n'))).toEqual({ kind: 'unsupported', what: 'PDF' })
    expect(sniffFormat(bytes('8BPS', [0, 1]))).toEqual({ kind: 'unsupported', what: 'Photoshop (PSD)' })
    expect(
      sniffFormat(
        bytes(
          [0xff, 0xfe],
          [...'<svg>'].flatMap((c) => [c.charCodeAt(0), 0])
        )
      )
    ).toMatchObject({ kind: 'unsupported' })
    expect(sniffFormat(bytes('hello, world'))).toEqual({ kind: 'unknown' })
    expect(sniffFormat(bytes('<html><body><svg></svg></body></html>'))).toEqual({ kind: 'unknown' })
    expect(sniffFormat(new Uint8Array(0))).toEqual({ kind: 'unknown' })
  })

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) =>
        ['image', 'unsupported', 'unknown'].includes(sniffFormat(b).kind)
      )
    )
  })
})

describe('SVG self-containment', () => {
  const svg = (body: string, head = ''): string =>
    `${head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">${body}</svg>`

  it('accepts fragments, namespaces and standard doctypes', () => {
    expect(
      svgExternalReference(svg('<defs><path id="a" d="M0 0L9 9"/></defs><use href="#a"/><use xlink:href=" #a"/>'))
    ).toBeNull()
    expect(svgExternalReference(svg('<rect fill="url(#g)" style="stroke: url( \'#g\' )"/>'))).toBeNull()
    const doctype =
      '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]>'
    expect(svgExternalReference(svg('<path d="M0 0"/>', doctype))).toBeNull()
  })

  it('refuses links to files and URLs however they are written', () => {
    expect(svgExternalReference(svg('<image href="http://example.com/a.png"/>'))).toMatch(
      /links to "http:\/\/example.com\/a.png" \(href\)/
    )
    expect(svgExternalReference(svg("<image xlink:href='photo.jpg'/>"))).toMatch(/photo\.jpg/)
    expect(svgExternalReference(svg('<image href = "file:///etc/passwd"/>'))).toMatch(/file:/)
    expect(svgExternalReference(svg('<image href="data:image/png;base64,AAAA"/>'))).toMatch(/data:/)
    expect(svgExternalReference(svg('<image href="&#104;ttp://x/y.png"/>'))).toMatch(/http:\/\/x/)
    expect(svgExternalReference(svg('<image src="a.png"/>'))).toMatch(/\(src\)/)
    expect(svgExternalReference(svg('<rect style="fill:url(other.svg#p)"/>'))).toMatch(/CSS url\(\)/)
    expect(svgExternalReference(svg('<style>rect { fill: URL("http://x/p.svg#a") }</style>'))).toMatch(/CSS url/)
    expect(svgExternalReference(svg('<style>@import "http://x/s.css";</style>'))).toMatch(/@import/)
    expect(svgExternalReference(svg('<style>&#64;import "s.css";</style>'))).toMatch(/@import/)
    expect(svgExternalReference(svg('<style>rect { fill: u\\72l(http://x) }</style>'))).toMatch(/escapes/)
    expect(
      svgExternalReference(svg('<text>&xxe;</text>', '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    ).toMatch(/external XML entity/)
    expect(svgExternalReference(svg('<g>&e;</g>', '<!DOCTYPE svg [<!ENTITY e "<image href=\'#x\'/>">]>'))).toMatch(
      /entity that contains markup/
    )
    expect(svgExternalReference(svg('<g/>', '<?xml-stylesheet href="style.css"?>'))).toMatch(/style\.css/)
    expect(
      svgExternalReference(svg('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="other.svg"/>'))
    ).toMatch(/other\.svg/)
  })
})

describe('fitting geometry (spec section 1)', () => {
  it('fills one side, keeps the aspect ratio within rounding and centres', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 64, max: 800 }),
        fc.integer({ min: 64, max: 800 }),
        (w, h, fw, fh) => {
          const r = containRect(w, h, { width: fw, height: fh })
          expect(r.width === fw || r.height === fh).toBe(true)
          expect(r.width).toBeLessThanOrEqual(fw)
          expect(r.height).toBeLessThanOrEqual(fh)
          expect(r.width).toBeGreaterThanOrEqual(1)
          expect(r.height).toBeGreaterThanOrEqual(1)
          const scale = Math.min(fw / w, fh / h)
          // Rounded, but never below one pixel.
          expect(Math.abs(r.width - Math.max(1, w * scale))).toBeLessThanOrEqual(0.5 + 1e-9)
          expect(Math.abs(r.height - Math.max(1, h * scale))).toBeLessThanOrEqual(0.5 + 1e-9)
          expect(r.left).toBe(Math.floor((fw - r.width) / 2))
          expect(r.top).toBe(Math.floor((fh - r.height) / 2))
        }
      )
    )
  })
})

describe('luma thresholds and Otsu', () => {
  it('floor(Y) < t gives exactly the luma rule for every integer threshold', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 3, maxLength: 600 }), fc.integer({ min: 0, max: 255 }), (rgb, t) => {
        const n = Math.floor(rgb.length / 3)
        expect(inkByLumaFloor(lumaFloor(rgb, n), t)).toEqual(inkByLuma(rgb, 3, n, t))
      })
    )
  })

  // The plain definition: for every split, the between-class variance; the best one wins.
  function bestVariance(values: number[]): number {
    let best = 0
    for (let t = 1; t <= 255; t++) {
      const lo = values.filter((v) => v < t)
      const hi = values.filter((v) => v >= t)
      if (lo.length === 0 || hi.length === 0) continue
      const m0 = lo.reduce((a, b) => a + b, 0) / lo.length
      const m1 = hi.reduce((a, b) => a + b, 0) / hi.length
      best = Math.max(best, lo.length * hi.length * (m0 - m1) ** 2)
    }
    return best
  }

  const split = (values: number[], t: number): number => {
    const lo = values.filter((v) => v < t)
    const hi = values.filter((v) => v >= t)
    if (lo.length === 0 || hi.length === 0) return 0
    const m0 = lo.reduce((a, b) => a + b, 0) / lo.length
    const m1 = hi.reduce((a, b) => a + b, 0) / hi.length
    return lo.length * hi.length * (m0 - m1) ** 2
  }

  it('picks a split with the largest between-class variance', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 200 }), (values) => {
        const hist = new Float64Array(256)
        for (const v of values) hist[v]++
        const t = otsuThreshold(hist)
        expect(split(values, t)).toBeCloseTo(bestVariance(values), 6)
      })
    )
  })

  it('puts the threshold in the middle of the gap of a black-and-white image; a flat image gets no ink', () => {
    const hist = new Float64Array(256)
    hist[0] = 10
    hist[255] = 90
    expect(otsuThreshold(hist)).toBe(128)
    hist[0] = 0
    expect(otsuThreshold(hist)).toBe(255)
    hist[255] = 0
    hist[40] = 3
    hist[200] = 3
    expect(otsuThreshold(hist)).toBe(120)
  })

  it('counts a histogram inside a rectangle only', () => {
    const luma = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])
    const hist = histogram(luma, 3, { left: 1, top: 1, width: 2, height: 2 })
    expect([hist[5], hist[6], hist[8], hist[9], hist[1]]).toEqual([1, 1, 1, 1, 0])
  })
})

describe('ink preview', () => {
  it('paints ink in the preview colour and fades everything else towards white', () => {
    const rgb = Uint8Array.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 100, 150, 200])
    const out = composeInkPreview(rgb, Uint8Array.from([1, 0, 0, 0]))
    expect([...out.subarray(0, 3)]).toEqual([...PREVIEW_INK])
    expect([...out.subarray(3, 6)]).toEqual([192, 192, 192])
    expect([...out.subarray(6, 9)]).toEqual([255, 255, 255])
    expect(out[9]).toBeGreaterThan(100)
    expect(out[9]).toBeLessThan(out[10])
  })
})

describe('upload file names', () => {
  it('keeps the base name only, without control characters', () => {
    expect(cleanFileName('C:\\Users\\me\\cat.png')).toBe('cat.png')
    expect(cleanFileName('../../etc/passwd')).toBe('passwd')
    expect(cleanFileName('a\u0000b\nc.jpg')).toBe('abc.jpg')
    expect(cleanFileName('dir/')).toBe('upload')
  })
})
