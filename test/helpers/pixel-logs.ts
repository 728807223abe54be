// Sessions for tests, from the project's own generator (tools/sessions/): the same bytes on every
// machine, nothing read from outside the repository.
import { parseSessionLog, type SessionLog } from '#main/evaluator/pixel-log.ts'
import { generateSession, type EditMix } from '#tools/sessions/generate.ts'
import { SCENARIOS, type ScenarioName } from '#tools/sessions/scenarios.ts'

const made = new Map<string, { log: SessionLog; json: string }>()

/**
 * A named scenario (tools/sessions/scenarios.ts), optionally with edits mixed in: the JSON a file
 * would hold and the log parsed from it exactly as `sightline replay` parses a file.
 */
export function scenarioSession(name: ScenarioName, edits?: EditMix): { log: SessionLog; json: string } {
  const key = JSON.stringify([name, edits])
  let session = made.get(key)
  if (!session) {
    const json = JSON.stringify(generateSession({ ...SCENARIOS[name], edits }))
    session = { log: parseSessionLog(json, `${name}.json`), json }
    made.set(key, session)
  }
  return session
}

/** The seed scenario: 500 x 500, 150 strokes of a 1 px pen, about 2,300 reference pixels. */
export const seedSession = (): { log: SessionLog; json: string } => scenarioSession('seed')
