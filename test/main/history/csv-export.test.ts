import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvField, toCsv } from '#main/history/csv.ts'
import { buildExport, CSV_COLUMNS, exportFileName } from '#main/history/export.ts'
import type { ExportRow } from '#main/history/store.ts'
import { EMPTY, scored } from './fixtures/data.ts'

/** A plain RFC 4180 reader, written for the test: the other side of the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (c === '"' && field === '') {
      i++
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"'
          i += 2
        } else if (text[i] === '"') {
          i++
          break
        } else if (i >= text.length) throw new Error('unterminated quote')
        else field += text[i++]
      }
    } else if (c === ',') {
      row.push(field)
      field = ''
      i++
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += 2
    } else {
      if (c === '"' || c === '\n' || c === '\r') throw new Error(`bare ${JSON.stringify(c)} at ${i}`)
      field += c
      i++
    }
  }
  if (field !== '' || row.length > 0) throw new Error('missing final CRLF')
  return rows
}

const guarded = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s)

describe('CSV', () => {
  it('reads back exactly, whatever the text (quotes, commas, line breaks, unicode)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'é', '"', ',', '\n', '\r', ' ', '=', '-', '@', '\t', '漢', '😀')
    })
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        expect(parseCsv(toCsv(['a', 'b', 'c'], rows))).toEqual([['a', 'b', 'c'], ...rows.map((r) => r.map(guarded))])
      }),
      { numRuns: 400 }
    )
  })

  it('writes numbers so they read back exactly, and null as an empty field', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Number(csvField(x))).toBe(x === 0 ? 0 : x)
      })
    )
    expect(csvField(null)).toBe('')
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })

  it('quotes as RFC 4180 says and defuses formulas', () => {
    expect(toCsv(['name'], [['say "hi", ok'], ['two\nlines'], ['=HYPERLINK("x")'], ['plain']])).toBe(
      'name\r\n"say ""hi"", ok"\r\n"two\nlines"\r\n"\'=HYPERLINK(""x"")"\r\nplain\r\n'
    )
  })
})

function buildExportText(row: ExportRow): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(buildExport('csv', [row], undefined, new Date()).bytes)
}

describe('history export', () => {
  const rows: ExportRow[] = [
    {
      attemptId: '11111111-1111-4111-8111-111111111111',
      reference: { id: 'library:abc', name: 'Vase, "blue"', source: 'library', width: 10, height: 20 },
      startedAt: '2026-01-01T09:00:00.000Z',
      endedAt: '2026-01-01T09:10:00.000Z',
      activeMs: 600000,
      strokeCount: 12,
      top5Error: 3.25,
      frame: { width: 500, height: 250 },
      discarded: false,
      evaluation: scored(3.25)
    },
    {
      attemptId: '22222222-2222-4222-8222-222222222222',
      reference: { id: 'bundled:cube', name: 'Cube', source: 'bundled', width: 10, height: 20 },
      startedAt: '2026-01-02T09:00:00.000Z',
      endedAt: null,
      activeMs: 0,
      strokeCount: 0,
      top5Error: null,
      frame: { width: 500, height: 500 },
      discarded: true,
      evaluation: null
    }
  ]
  const at = new Date(Date.UTC(2026, 10, 27, 15))

  it('as CSV: BOM, a header, one row per attempt with the name and the headline figures at two decimals', () => {
    const out = buildExport('csv', rows, undefined, at, 'Ada Lovelace')
    expect(out.name).toBe('sightline-history-2026-11-27.csv')
    expect(out.mime).toBe('text/csv; charset=utf-8')
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(out.bytes)
    expect(text.startsWith('\uFEFF')).toBe(true)
    const [header, first, second] = parseCsv(text.slice(1))
    expect(header).toEqual([...CSV_COLUMNS])
    const e = scored(3.25)
    const two = (v: number): string => String(Math.round(v * 100) / 100)
    expect(first).toEqual([
      'Ada Lovelace',
      rows[0].attemptId,
      'library:abc',
      'Vase, "blue"',
      '2026-01-01T09:00:00.000Z',
      '2026-01-01T09:10:00.000Z',
      '600000',
      '12',
      '500',
      '250',
      'no',
      '3.25',
      two(e.meanError),
      two(e.topError),
      two(e.precision),
      two(e.recall),
      two(e.f1)
    ])
    expect(second).toEqual([
      'Ada Lovelace',
      rows[1].attemptId,
      'bundled:cube',
      'Cube',
      '2026-01-02T09:00:00.000Z',
      '',
      '0',
      '0',
      '500',
      '500',
      'yes',
      '',
      '',
      '',
      '',
      '',
      ''
    ])
  })

  it('writes every figure with at most two decimals, within half a hundredth of the exact one', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), (x) => {
        const text = buildExportText({ ...rows[0], top5Error: x })
        const written = parseCsv(text.slice(1))[1][CSV_COLUMNS.indexOf('top5_error')]
        expect(written).toMatch(/^\d+(\.\d{1,2})?$/)
        expect(Math.abs(Number(written) - x)).toBeLessThanOrEqual(0.005 + 1e-9)
      })
    )
    // The float noise the issue quotes.
    const noisy = buildExportText({ ...rows[0], top5Error: 7.5200000000000005 })
    expect(parseCsv(noisy.slice(1))[1][CSV_COLUMNS.indexOf('top5_error')]).toBe('7.52')
  })

  it('as JSON: every attempt with its final evaluation at two decimals, and the name', () => {
    const out = buildExport('json', [rows[0], { ...rows[1], evaluation: EMPTY }], 'bundled:cube', at, 'Ada')
    expect(out.name).toBe('sightline-history-bundled-cube-2026-11-27.json')
    const e = scored(3.25)
    const two = (v: number): number => Math.round(v * 100) / 100
    expect(JSON.parse(new TextDecoder().decode(out.bytes))).toEqual({
      format: 'sightline-history',
      version: 2,
      exportedAt: at.toISOString(),
      name: 'Ada',
      attempts: [
        {
          ...rows[0],
          evaluation: {
            ...e,
            meanError: two(e.meanError),
            topError: two(e.topError),
            extraInk: { mean: two(e.extraInk.mean), max: two(e.extraInk.max) },
            missedLines: { mean: two(e.missedLines.mean), max: two(e.missedLines.max) },
            precision: two(e.precision),
            recall: two(e.recall),
            f1: two(e.f1)
          }
        },
        { ...rows[1], evaluation: EMPTY }
      ]
    })
  })

  it('names files safely whatever the reference id', () => {
    expect(exportFileName('csv', 'library:0a1b_c-d', at)).toBe('sightline-history-library-0a1b_c-d-2026-11-27.csv')
  })
})
