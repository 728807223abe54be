// Writes a generated session log to a file: `npm run make-session -- SCENARIO OUT.json [options]`.
// SCENARIO is seed, realistic or large (tools/sessions/scenarios.ts); options override its sizes.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { describeSession, generateSession, type SessionOptions } from './generate.ts'
import { SCENARIOS, isScenarioName } from './scenarios.ts'

const USAGE = `usage: make-session SCENARIO OUT.json [--side N] [--strokes N] [--shapes N] [--thickness N] [--seed N]
                    [--edits ERASE,UNDO,REDO]
  SCENARIO: ${Object.keys(SCENARIOS).join(', ')}; --edits adds eraser swipes, undos and redos with those chances per stroke`

export function makeSession(argv: string[]): { options: SessionOptions; out: string } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      side: { type: 'string' },
      strokes: { type: 'string' },
      shapes: { type: 'string' },
      thickness: { type: 'string' },
      seed: { type: 'string' },
      edits: { type: 'string' }
    }
  })
  const [scenario, out] = positionals
  if (positionals.length !== 2 || !isScenarioName(scenario)) throw new Error(USAGE)
  const number = (flag: string, text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback
    const v = Number(text)
    if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`--${flag}: "${text}" is not a number`)
    return v
  }
  const base = SCENARIOS[scenario]
  const side = values.side === undefined ? undefined : number('side', values.side, 0)
  const options: SessionOptions = {
    ...base,
    width: side ?? base.width,
    height: side ?? base.height,
    strokes: number('strokes', values.strokes, base.strokes),
    shapes: number('shapes', values.shapes, base.shapes),
    thickness: number('thickness', values.thickness, base.thickness),
    seed: number('seed', values.seed, base.seed)
  }
  if (values.edits !== undefined) {
    const parts = values.edits.split(',')
    if (parts.length !== 3) throw new Error(`--edits: "${values.edits}" is not three chances ERASE,UNDO,REDO`)
    const [erase, undo, redo] = parts.map((p) => number('edits', p, 0))
    options.edits = { erase, undo, redo }
  }
  return { options, out }
}

if (import.meta.main) {
  try {
    const { options, out } = makeSession(process.argv.slice(2))
    const file = generateSession(options)
    writeFileSync(out, JSON.stringify(file))
    console.log(`${describeSession(file)} -> ${out}`)
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(2)
  }
}
