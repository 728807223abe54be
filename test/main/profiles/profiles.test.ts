import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Stroke } from '#shared/stroke/types.ts'
import type { StudioApi } from '#shared/contract/api.ts'
import { PROFILES_FILE } from '#main/profiles/profiles.ts'
import { openStudio } from '#test/helpers/studio.ts'
import { tempDir } from '#test/helpers/tmp.ts'

const dirs = tempDir()
let n = 0
const fresh = () => join(dirs, `p${n++}`)

const stroke: Stroke = {
  tool: 'pen',
  size: 3,
  points: Array.from({ length: 10 }, (_, i) => ({ x: 100 + 20 * i, y: 150, pressure: 0.5, tiltX: 0, tiltY: 0, t: i }))
}

async function drawOne(api: StudioApi): Promise<void> {
  const { attemptId } = await api.startAttempt({ referenceId: (await api.listReferences())[0].id })
  await api.commitStroke({ attemptId, stroke })
  await api.finishAttempt({ attemptId })
}

describe('profiles', () => {
  it('keep each student’s history and settings apart on one machine, and remember which is open', async () => {
    const dataDir = fresh()
    const studio = await openStudio({ dataDir })
    const { api } = studio
    const first = await api.listProfiles()
    expect(first.profiles).toHaveLength(1)
    expect(first.activeId).toBe('default')
    await drawOne(api)
    const ana = await api.createProfile({ name: '  Ana  ' })
    expect(ana.name).toBe('Ana')
    expect((await api.listProfiles()).activeId).toBe('default')
    expect((await api.switchProfile({ profileId: ana.profileId })).activeId).toBe(ana.profileId)
    expect((await api.listAttempts({})).total).toBe(0)
    expect((await api.getSettings()).name).toBe('Ana')
    expect(studio.services.history.dataDir).toBe(join(dataDir, 'profiles', ana.profileId))
    await drawOne(api)
    await drawOne(api)
    expect((await api.listAttempts({})).total).toBe(2)
    await api.switchProfile({ profileId: 'default' })
    expect((await api.listAttempts({})).total).toBe(1)
    await api.switchProfile({ profileId: ana.profileId })
    await studio.dispose()
    // Open again: Ana's work is where she left it.
    const again = await openStudio({ dataDir })
    expect((await again.api.listProfiles()).activeId).toBe(ana.profileId)
    expect((await again.api.listAttempts({})).total).toBe(2)
  })

  it('refuse names that are empty, not one line, or taken, and ids that name nothing', async () => {
    const { api } = await openStudio({ dataDir: fresh() })
    await api.createProfile({ name: 'Ben' })
    for (const name of ['', '   ', 'a\nb', 'ben', 'x'.repeat(81)])
      await expect(api.createProfile({ name })).rejects.toMatchObject({ code: 'invalid-input' })
    await expect(api.switchProfile({ profileId: 'p-00000000-0000-0000-0000-000000000000' })).rejects.toMatchObject({
      code: 'not-found'
    })
    await expect(api.switchProfile({ profileId: '../../etc' })).rejects.toMatchObject({ code: 'invalid-input' })
    // Still working, on the profile it was on.
    expect((await api.listProfiles()).activeId).toBe('default')
    await drawOne(api)
  })

  it('set a damaged profile list aside and start from the first profile', async () => {
    const dataDir = fresh()
    const { api } = await openStudio({ dataDir })
    await api.createProfile({ name: 'Cleo' })
    writeFileSync(join(dataDir, PROFILES_FILE), '{"format": "sightline-profiles", "version": 1, "activeId": "nope"')
    const again = await openStudio({ dataDir })
    expect((await again.api.listProfiles()).profiles.map((p) => p.profileId)).toEqual(['default'])
    expect(readdirSync(dataDir).some((f) => f.startsWith('profiles.corrupt-'))).toBe(true)
    expect(existsSync(join(dataDir, 'profiles'))).toBe(true)
  })
})
