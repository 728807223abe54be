// sightline <command>: evaluate, report, replay. Bad input is one line on stderr naming
// the file and the problem, exit code 2, never a stack trace.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { DEFAULT_INK_THRESHOLD, type LegacyBackground } from '#main/references/ink.ts'
import { DEFAULT_FRAME_LONGEST_SIDE, MAX_FRAME_SIDE, MIN_FRAME_SIDE, aspectsDiffer, frameFor } from '#shared/frame.ts'
import { CliError, type CliIo } from './errors.ts'
import { evaluateMasks } from './evaluate.ts'
import { renderHeatmap, type RenderScale } from '#main/render/heatmap.ts'
import { writeFileAtomic } from '#main/platform/atomic-file.ts'
import { formatEvaluation } from './format.ts'
import { inkFromImage, openImageFile } from '#main/references/extract.ts'
import { StudioError } from '#shared/contract/errors.ts'
import { batchSummary, classReport, formatReport, formatRows } from './report.ts'
import { writeClassReport } from '#main/batch/class-run.ts'
import { fileRows, fileRowsCsv } from '#main/batch/file-rows.ts'
import { parsePack, PackError } from '#main/packs/pack-format.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'

/** More threads than this helps no machine a report runs on. */
const MAX_REPORT_WORKERS = 64
import { replaySession } from './replay.ts'

const USAGE = [
  'usage: sightline <command> [options]',
  '  evaluate <reference> <drawing> [--size N] [--threshold T] [--any-aspect] [--json] [--heatmap FILE [--scale 1|2] [--view combined|drawing|reference]]',
  "      the frame has the reference's aspect ratio and a longest side of N pixels (default 500)",
  '  report <folder> [--background white|transparent] [--json | --csv] [--out DIR] [--pack FILE]... [--workers N]',
  '  replay <session.json> [--json]'
]

function parse<O extends ParseArgsOptionsConfig>(args: string[], options: O, positionals: number, command: string) {
  let parsed
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (err) {
    throw new CliError(`${command}: ${(err as Error).message}`)
  }
  if (parsed.positionals.length !== positionals) {
    throw new CliError(
      `${command}: expected ${positionals} argument${positionals === 1 ? '' : 's'}, got ${parsed.positionals.length} (${USAGE.find((u) => u.trim().startsWith(command))?.trim()})`
    )
  }
  return parsed
}

const aspect = (size: { width: number; height: number }): string => (size.width / size.height).toFixed(3)

function wholeNumber(value: unknown, name: string, min: number, max: number): number {
  const n = Number(value)
  if (typeof value !== 'string' || !Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${name} must be a whole number from ${min} to ${max}, not "${String(value)}"`)
  return n
}

async function evaluate(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(
    args,
    {
      size: { type: 'string' },
      threshold: { type: 'string' },
      'any-aspect': { type: 'boolean' },
      json: { type: 'boolean' },
      heatmap: { type: 'string' },
      scale: { type: 'string' },
      view: { type: 'string' }
    },
    2,
    'evaluate'
  )
  const scale = values.scale === undefined ? 1 : wholeNumber(values.scale, '--scale', 1, 2)
  const view = values.view ?? 'combined'
  if (view !== 'combined' && view !== 'drawing' && view !== 'reference')
    throw new CliError(`--view must be combined, drawing or reference, not "${view}"`)
  if ((values.scale !== undefined || values.view !== undefined) && values.heatmap === undefined)
    throw new CliError('--scale and --view go with --heatmap FILE')
  const side =
    values.size === undefined
      ? DEFAULT_FRAME_LONGEST_SIDE
      : wholeNumber(values.size, '--size', MIN_FRAME_SIDE, MAX_FRAME_SIDE)
  const threshold =
    values.threshold === undefined ? DEFAULT_INK_THRESHOLD : wholeNumber(values.threshold, '--threshold', 1, 256)
  const [referencePath, drawingPath] = positionals
  const referenceImage = await openImageFile(referencePath)
  const drawingImage = await openImageFile(drawingPath)
  // The frame follows the reference, as in the studio; a drawing of another shape would be
  // squeezed into it with padding and scored against lines it was never drawn over.
  if (values['any-aspect'] !== true && aspectsDiffer(drawingImage, referenceImage))
    throw new CliError(
      `${drawingPath}: the drawing is ${drawingImage.width} x ${drawingImage.height} (aspect ${aspect(drawingImage)}) ` +
        `but the reference is ${referenceImage.width} x ${referenceImage.height} (aspect ${aspect(referenceImage)}); ` +
        "a drawing is scored in its reference's frame, so their aspect ratios must match " +
        '(--any-aspect fits it into that frame anyway, padded with white)'
    )
  const frame = frameFor(referenceImage.width, referenceImage.height, side)
  const reference = await inkFromImage(referenceImage, frame, threshold)
  const drawing = await inkFromImage(drawingImage, frame, threshold)
  const { evaluation, field } = evaluateMasks(reference.mask, drawing.mask, frame.width, frame.height, referencePath)
  if (values.heatmap !== undefined) {
    if (!field) throw new CliError(`${drawingPath}: no heatmap for an empty drawing (no drawing yet)`)
    const image = await renderHeatmap(field, { view, scale: scale as RenderScale })
    await writeFileAtomic(values.heatmap, image.png).catch((err: Error) => {
      throw new CliError(`${values.heatmap}: cannot write the heatmap (${err.message})`)
    })
  }
  if (values.json)
    io.out(JSON.stringify({ reference: referencePath, drawing: drawingPath, frame, threshold, ...evaluation }))
  else for (const line of formatEvaluation(evaluation)) io.out(line)
}

async function report(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(
    args,
    {
      background: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      out: { type: 'string' },
      pack: { type: 'string', multiple: true },
      workers: { type: 'string' }
    },
    1,
    'report'
  )
  const background = (values.background ?? 'white') as string
  if (background !== 'white' && background !== 'transparent')
    throw new CliError(`--background must be white or transparent, not "${background}"`)
  if (values.json && values.csv) throw new CliError('--json and --csv: choose one')
  const workers =
    values.workers === undefined ? undefined : wholeNumber(values.workers, '--workers', 1, MAX_REPORT_WORKERS)
  const packs = values.pack ?? []
  for (const pack of packs) await checkPackFile(pack)
  const run = await classReport(positionals[0], {
    background: background as LegacyBackground,
    progress: io.progress,
    workers,
    packs
  })
  const summary = batchSummary(run.results)
  for (const s of summary.skipped) io.err(`sightline: skipped ${s.file}: ${s.reason}`)
  const out = values.out
  const written =
    out === undefined
      ? null
      : await writeClassReport(run, out, defaultResourcesDir()).catch((err: Error) => {
          throw new CliError(`${out}: cannot write the report (${err.message})`)
        })
  if (values.json) io.out(JSON.stringify({ ...summary, rows: run.rows, files: fileRows(run.results) }))
  // One row per file; rows end in CRLF as RFC 4180 has it, the last one as the terminal does.
  else if (values.csv) io.out(fileRowsCsv(fileRows(run.results)).replace(/\r\n$/, ''))
  else {
    for (const line of formatReport(summary)) io.out(line)
    const rows = formatRows(run.rows)
    if (rows.length) io.out('')
    for (const line of rows) io.out(line)
  }
  if (written)
    io.err(
      `sightline: wrote ${written.csv}, ${written.json} and ${written.sheets.length} sheet page${written.sheets.length === 1 ? '' : 's'} in ${join(out!, 'sheets')}`
    )
}

/** A pack named on the command line must be one (its images are checked when they are needed). */
async function checkPackFile(path: string): Promise<void> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (err) {
    throw new CliError(`${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  try {
    parsePack(basename(path), bytes)
  } catch (err) {
    if (err instanceof PackError) throw new CliError(err.message)
    throw err
  }
}

async function replay(args: string[], io: CliIo): Promise<void> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1, 'replay')
  const json = values.json === true
  const { summary, final } = await replaySession(positionals[0], (index, op, evaluation) => {
    if (json) io.out(JSON.stringify({ event: index, op, ...evaluation }))
  })
  if (json) io.out(JSON.stringify({ summary: true, ...summary }))
  else {
    for (const line of formatEvaluation(final)) io.out(line)
    const us = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)} us`)
    io.out(
      `events ${summary.events}: set-up ${summary.initMs.toFixed(2)} ms, first ${us(summary.firstUs)}, median ${us(summary.medianUs)}, p99 ${us(summary.p99Us)}, max ${us(summary.maxUs)}, total ${summary.totalMs.toFixed(2)} ms`
    )
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'evaluate':
        await evaluate(rest, io)
        return 0
      case 'report':
        await report(rest, io)
        return 0
      case 'replay':
        await replay(rest, io)
        return 0
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        for (const line of USAGE) io.out(line)
        return command === undefined ? 2 : 0
      default:
        throw new CliError(`unknown command "${command}"\n${USAGE.join('\n')}`)
    }
  } catch (err) {
    // Both carry a message meant for the user that names the file and what is wrong.
    if (err instanceof CliError || err instanceof StudioError) {
      io.err(`sightline: ${err.message}`)
      return 2
    }
    io.err(`sightline: internal error: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}
