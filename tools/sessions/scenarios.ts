// The named sessions the tests and the evaluator benchmark share. Their sizes match the anchor
// scenarios (`gen_session.py NAME SIDE STROKES THICKNESS SEED OUT SHAPES`), so the benchmark runs
// the same amount of work with or without the anchors beside the project.
import type { SessionOptions } from './generate.ts'

export type ScenarioName = 'seed' | 'realistic' | 'large'

export const SCENARIOS: Record<ScenarioName, SessionOptions> = {
  /** 500 x 500, 150 strokes of a 1 px pen over 7 shapes. */
  seed: { name: 'seed', width: 500, height: 500, strokes: 150, thickness: 1, shapes: 7, seed: 8 },
  /** 500 x 500, 150 strokes of a 3 px pen over 14 shapes. */
  realistic: { name: 'realistic', width: 500, height: 500, strokes: 150, thickness: 3, shapes: 14, seed: 11 },
  /** 2000 x 2000, 300 strokes of a 5 px pen over 20 shapes. */
  large: { name: 'large', width: 2000, height: 2000, strokes: 300, thickness: 5, shapes: 20, seed: 13 }
}

export const isScenarioName = (name: string): name is ScenarioName => Object.hasOwn(SCENARIOS, name)
