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
