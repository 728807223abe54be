// Sessions from the project's anchors (../shared/anchors/gen_session.py), generated on demand.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSessionLog, type SessionLog } from '#main/evaluator/pixel-log.ts'

const ANCHORS = join(import.meta.dirname, '..', '..', '..', 'shared', 'anchors')

/** gen_session.py NAME SIDE STROKES THICKNESS SEED OUT [SHAPES], cached in the temp folder. */
export function anchorSession(
  name: string,
  side: number,
  strokes: number,
  thickness: number,
  seed: number,
  shapes?: number
): { log: SessionLog; path: string } {
  const dir = join(tmpdir(), 'sightline-sessions')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${name}-${side}-${strokes}-${thickness}-${seed}-${shapes ?? 'd'}.json`)
  if (!existsSync(path)) {
    const args = [
      join(ANCHORS, 'gen_session.py'),
      name,
      String(side),
      String(strokes),
      String(thickness),
      String(seed),
      path
    ]
    if (shapes !== undefined) args.push(String(shapes))
    execFileSync('python3', args, { stdio: 'ignore' })
  }
  return { log: parseSessionLog(readFileSync(path, 'utf8'), path), path }
}

/** The seed scenario of ../shared/docs/session-log.md: 500 x 500, 150 strokes, ~2,400 px. */
export const seedSession = (): { log: SessionLog; path: string } => anchorSession('seed', 500, 150, 1, 8, 7)
