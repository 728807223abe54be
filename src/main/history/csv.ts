// CSV as RFC 4180 has it (CRLF rows, fields with a comma, quote or line break quoted, quotes
// doubled), plus a guard against spreadsheet formula injection: a text field starting with
// = + - @ or a tab / CR is prefixed with ' (OWASP's advice), since reference names come from
// file names the user did not necessarily choose.
export type CsvValue = string | number | null

const FORMULA_START = /^[=+\-@\t\r]/

export function csvField(value: CsvValue): string {
  if (value === null) return ''
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} to CSV`)
    return String(value)
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n'
}
