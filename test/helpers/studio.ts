import { onTestFinished } from 'vitest'
import { createStudio, type Studio, type StudioOptions } from '#main/app.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'

/**
 * A studio as the host builds it (bundled references, evaluator on the calling thread unless
 * given a launcher), disposed when the current test ends. Call it inside a test.
 */
export async function openStudio(options: Partial<StudioOptions> & { dataDir: string }): Promise<Studio> {
  const studio = await createStudio({ shell: 'host', resourcesDir: defaultResourcesDir(), ...options })
  onTestFinished(() => studio.dispose())
  return studio
}
