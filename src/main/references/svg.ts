// SVG references must be self-contained: we refuse any that point at other files or URLs, so the
// user learns why instead of seeing a silently incomplete picture. (The decoder is given bytes,
// not a path, so librsvg has no base to load anything from in any case.)

/** XML character references and the predefined entities, decoded, so `&#104;ref` cannot hide. */
function decodeXmlReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    const lower = ref.toLowerCase()
    if (lower === 'lt') return '<'
    if (lower === 'gt') return '>'
    if (lower === 'amp') return '&'
    if (lower === 'quot') return '"'
    if (lower === 'apos') return "'"
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10)
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
  })
}

const isFragment = (target: string): boolean => target.trim().startsWith('#')

const short = (target: string): string => {
  const t = target.trim().replace(/\s+/g, ' ')
  return t.length > 60 ? `${t.slice(0, 57)}...` : t
}

/**
 * Why this SVG is not self-contained, or null if it is. Looks at href/src attributes (any
 * namespace prefix), CSS url() and @import, XML entity declarations (external entities, and
 * internal ones that carry markup, which could assemble a reference we cannot see here), and
 * escapes in CSS (which could spell `url(` in a way the scan would miss).
 */
export function svgExternalReference(svgText: string): string | null {
  const entity = /<!ENTITY\s+(%\s*)?[^\s>]+\s+(SYSTEM|PUBLIC)?\s*("[^"]*"|'[^']*')?/gi
  for (const m of svgText.matchAll(entity)) {
    if (m[1] || m[2]) return `it declares an external XML entity (${short(m[0])})`
    const value = m[3] ?? ''
    if (/[<&%]/.test(value)) return 'it declares an XML entity that contains markup'
  }
  const text = decodeXmlReferences(svgText)
  const attr = /(?:^|[\s"'<])(?:[A-Za-z_][\w.-]*:)?(href|src)\s*=\s*("([^"]*)"|'([^']*)')/g
  for (const m of text.matchAll(attr)) {
    const target = m[3] ?? m[4] ?? ''
    if (!isFragment(target)) return `it links to "${short(target)}" (${m[1]})`
  }
  const url = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)/gi
  for (const m of text.matchAll(url)) {
    const target = m[1] ?? m[2] ?? m[3] ?? ''
    if (!isFragment(target)) return `it links to "${short(target)}" (CSS url())`
  }
  if (/@import/i.test(text)) return 'it imports a style sheet (@import)'
  for (const m of text.matchAll(/<style[^>]*>([\s\S]*?)<\/style\s*>|\sstyle\s*=\s*("[^"]*"|'[^']*')/gi)) {
    if ((m[1] ?? m[2] ?? '').includes('\\'))
      return 'its CSS uses escapes, which Sightline does not accept in references'
  }
  return null
}

/**
 * Limits an SVG must keep before it is decoded. librsvg's cost follows the elements it draws,
 * and a `<use>` draws its target again: ten nested groups of ten `<use>` each (1.5 KB) ask for
 * ten billion. So the elements are counted, and each reference expanded, before any decoding.
 */
export const SVG_LIMITS = {
  /** Bytes of SVG text (a vector drawing; embedded images are refused as links anyway). */
  bytes: 5 * 1000 * 1000,
  /**
   * Elements written in the file: librsvg holds about 7 KB per element and reads 40,000 in about
   * 4 s on a busy 2-core machine; a drawing as a reference has far fewer.
   */
  elements: 20_000,
  /** Elements drawn once every reference is followed (a `<use>` counts its target's whole tree again). */
  drawn: 100_000
} as const

interface SvgElement {
  /** The element's tree: children's indices. */
  children: number[]
  /** Fragment ids this element draws again: `<use href>` and url(#...) paint servers, markers, filters... */
  references: string[]
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"'/]+|"[^"]*"|'[^']*'|\/(?!>))*)(\/?)>/y
const ID = /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)')/
const HREF = /(?:^|\s)(?:[A-Za-z_][\w.-]*:)?href\s*=\s*(?:"\s*#([^"]*)"|'\s*#([^']*)')/g
const URL_REF = /url\(\s*["']?\s*#([^"')\s]+)/g

/**
 * What is wrong with an SVG's size or complexity, or null if it is within SVG_LIMITS. A light
 * scan of the markup (comments, CDATA and declarations skipped), not a parse: it counts start
 * tags, keeps their tree and the fragments they reference, and sizes each element's drawing with
 * references followed (memoised, so a bomb costs the scan nothing), refusing reference cycles.
 * `svgText` has passed svgExternalReference, so entities cannot add markup behind its back.
 */
export function svgComplexity(svgText: string): string | null {
  const bytes = Buffer.byteLength(svgText)
  if (bytes > SVG_LIMITS.bytes)
    return `the SVG is ${(bytes / 1e6).toFixed(1)} MB of text; SVG references can be at most ${SVG_LIMITS.bytes / 1e6} MB`
  const elements: SvgElement[] = []
  const ids = new Map<string, number>()
  const roots: number[] = []
  const open: number[] = []
  let at = 0
  for (;;) {
    const lt = svgText.indexOf('<', at)
    if (lt < 0) break
    if (svgText.startsWith('<!--', lt)) {
      const end = svgText.indexOf('-->', lt + 4)
      at = end < 0 ? svgText.length : end + 3
      continue
    }
    if (svgText.startsWith('<![CDATA[', lt)) {
      const end = svgText.indexOf(']]>', lt + 9)
      at = end < 0 ? svgText.length : end + 3
      continue
    }
    if (svgText.startsWith('<!', lt) || svgText.startsWith('<?', lt)) {
      // A declaration or processing instruction; a DOCTYPE's internal subset ends at "]>".
      const subset = svgText.startsWith('<!DOCTYPE', lt) ? svgText.indexOf('[', lt) : -1
      const close = svgText.indexOf('>', lt)
      const end = subset >= 0 && subset < close ? svgText.indexOf(']>', subset) + 1 : close
      at = end <= 0 ? svgText.length : end + 1
      continue
    }
    TAG.lastIndex = lt
    const m = TAG.exec(svgText)
    if (!m) {
      at = lt + 1
      continue
    }
    at = TAG.lastIndex
    const [, closing, , attributes, selfClosing] = m
    if (closing) {
      open.pop()
      continue
    }
    const index = elements.length
    if (index >= SVG_LIMITS.elements)
      return `the SVG has more than ${SVG_LIMITS.elements.toLocaleString('en-US')} elements; SVG references can have at most that many`
    const element: SvgElement = { children: [], references: [] }
    elements.push(element)
    const parent = open[open.length - 1]
    if (parent === undefined) roots.push(index)
    else elements[parent].children.push(index)
    const id = ID.exec(attributes)
    if (id) ids.set(id[1] ?? id[2], index)
    for (const r of attributes.matchAll(HREF)) element.references.push((r[1] ?? r[2]).trim())
    for (const r of attributes.matchAll(URL_REF)) element.references.push(r[1])
    if (!selfClosing) open.push(index)
  }
  // url(#...) in <style> sheets and style attributes is found above only in attributes: add the
  // sheets' references to the root, which over-counts (never under-counts) what they draw.
  for (const sheet of svgText.matchAll(/<style[^>]*>([\s\S]*?)<\/style\s*>/gi)) {
    for (const r of sheet[1].matchAll(URL_REF)) elements[roots[0] ?? 0]?.references.push(r[1])
  }

  // Drawn size of each element: itself, its children, and what it references, each again.
  // Post-order over children and references with an explicit stack (a file may nest deeply).
  const drawn = new Float64Array(elements.length)
  const state = new Uint8Array(elements.length) // 0 new, 1 on the stack, 2 sized
  const edges = (index: number): number[] => {
    const element = elements[index]
    const targets = element.references.map((ref) => ids.get(ref)).filter((t): t is number => t !== undefined)
    return [...element.children, ...targets]
  }
  const size = (start: number): number | null => {
    const stack: { index: number; next: number[] }[] = [{ index: start, next: edges(start) }]
    if (state[start] === 2) return drawn[start]
    state[start] = 1
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      const next = top.next.pop()
      if (next === undefined) {
        let total = 1
        for (const t of edges(top.index)) total += drawn[t]
        drawn[top.index] = total
        state[top.index] = 2
        stack.pop()
      } else if (state[next] === 1) {
        return null
      } else if (state[next] === 0) {
        state[next] = 1
        stack.push({ index: next, next: edges(next) })
      }
    }
    return drawn[start]
  }
  let total = 0
  for (const root of roots) {
    const rootSize = size(root)
    if (rootSize === null) return 'the SVG is not drawable: its <use> or url(#...) references form a cycle'
    total += rootSize
  }
  if (total > SVG_LIMITS.drawn) {
    const shown = total > 1e12 ? 'more than a trillion' : Math.round(total).toLocaleString('en-US')
    return `the SVG draws ${shown} elements once its <use> references are followed; SVG references can draw at most ${SVG_LIMITS.drawn.toLocaleString('en-US')}`
  }
  return null
}
