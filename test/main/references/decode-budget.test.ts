// Hostile images against real decoder processes: a `<use>` bomb and a 100,000-path SVG are
// refused before librsvg sees them, within a little memory; SVGs that pass those limits but are
// slow or hungry to draw are stopped by the decoder's own time and memory limits (the header read
// too); and while decodes are stopped, other requests are answered. The same in the command line.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openStudio } from '#test/helpers/studio.ts'
import { dispatch } from '#main/api/dispatch.ts'
import { checkImage } from '#main/references/decode.ts'
import { Decoder, nodeDecoderLauncher, type DecoderLimits } from '#main/references/decoder.ts'
import { createReferenceService } from '#main/references/service.ts'
import { SVG_LIMITS } from '#main/references/svg.ts'
import { defaultResourcesDir } from '#main/platform/paths.ts'
import { runCli } from '#main/shells/cli/main.ts'
import { tempDir } from '#test/helpers/tmp.ts'
import { manyPaths, slowFilter, useBomb } from '#tools/hostile-svg.ts'
import { FRAME, lineSvg } from './images.ts'

const decoders: Decoder[] = []
afterEach(() => {
  for (const d of decoders.splice(0)) d.close()
})

function decoder(limits: Partial<DecoderLimits> = {}): Decoder {
  const d = new Decoder(nodeDecoderLauncher(), limits)
  decoders.push(d)
  return d
}

async function service(d: Decoder) {
  return createReferenceService({
    resourcesDir: defaultResourcesDir(),
    dataDir: tempDir(),
    frameLongestSide: () => FRAME.width,
    allowPaths: false,
    decoder: d
  })
}

const upload = (fileName: string, text: string) => ({ fileName, bytes: new TextEncoder().encode(text) })
const MB = 1024 * 1024

describe('hostile SVGs', () => {
  it('a <use> bomb and a 100,000-path SVG are refused before decoding, with little memory, through the API', async () => {
    const api = (await openStudio({ dataDir: tempDir() })).api
    const bomb = useBomb()
    const paths = manyPaths(100_000)
    expect(bomb.length).toBeLessThan(2000)
    const before = process.memoryUsage.rss()
    const [a, b] = await Promise.all([
      dispatch(api, 'importReference', upload('bomb.svg', bomb)),
      dispatch(api, 'importReference', upload('paths.svg', paths))
    ])
    expect(a).toEqual({
      ok: false,
      error: {
        code: 'bad-image',
        message: expect.stringMatching(
          /^bomb\.svg: the SVG draws [\d,]+ elements once its <use> references are followed; SVG references can draw at most 100,000$/
        )
      }
    })
    expect(b).toEqual({
      ok: false,
      error: {
        code: 'bad-image',
        message: 'paths.svg: the SVG has more than 20,000 elements; SVG references can have at most that many'
      }
    })
    expect(process.memoryUsage.rss() - before).toBeLessThan(300 * MB)
    // A larger file is refused by its size, before it is even sent to a decoder.
    const huge = manyPaths(400_000)
    expect(await dispatch(api, 'importReference', upload('huge.svg', huge))).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(
          /^huge\.svg: the SVG is 17\.\d MB of text; SVG references can be at most 5\.0 MB$/
        )
      }
    })
  })

  it('a <use> cycle is refused, and a drawing with ordinary reuse still opens', async () => {
    const d = decoder()
    const cycle = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>`
    await expect(checkImage('cycle.svg', Buffer.from(cycle), d)).rejects.toThrow(
      'cycle.svg: the SVG is not drawable: its <use> or url(#...) references form a cycle'
    )
    const reuse = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><defs><path id="p" d="M0 0h10" stroke="#000"/></defs>${Array.from({ length: 50 }, (_, i) => `<use href="#p" y="${i * 2}"/>`).join('')}</svg>`
    await expect(checkImage('reuse.svg', Buffer.from(reuse), d)).resolves.toMatchObject({ width: 200, height: 100 })
    expect(SVG_LIMITS.drawn).toBeGreaterThan(50 * 2)
  })

  it('one that passes the limits but is slow to draw is stopped at the time limit, while other requests are answered', async () => {
    const svg = { timeMs: 500, extraMemoryBytes: 512 * MB }
    const d = decoder({ svg, concurrency: 2 })
    const references = await service(d)
    // Fitting it to the frame takes about 1.5 s on a quiet machine, three times the limit.
    const slow = slowFilter(4000, 200)
    const imports = [1, 2, 3, 4].map((i) =>
      references.importReference(upload(`slow-${i}.svg`, slow)).then(
        () => ({ at: order.push('import'), error: null }),
        (err: Error) => ({ at: order.push('import'), error: err.message })
      )
    )
    const order: string[] = []
    let most = 0
    // Meanwhile, the reference list is answered again and again (it never waits for a decoder).
    for (let i = 0; i < 20; i++) {
      expect((await references.list()).length).toBeGreaterThan(0)
      order.push('list')
      most = Math.max(most, d.processes)
      await new Promise((r) => setTimeout(r, 20))
    }
    const results = await Promise.all(imports)
    expect(order.slice(0, 20)).toEqual(Array(20).fill('list'))
    expect(results.map((r) => r.error)).toEqual(
      [1, 2, 3, 4].map((i) => `slow-${i}.svg: decoding it took longer than 0.5 s and was stopped`)
    )
    expect(most).toBeLessThanOrEqual(2)
    expect(d.stats.killedForTime).toBe(4)
    // The decoder goes on working for files that are fine.
    await expect(references.importReference(upload('line.svg', lineSvg()))).resolves.toMatchObject({
      source: 'library'
    })
  })

  it('one that passes the limits but needs more memory than its budget is stopped, the header read included', async () => {
    // 19,000 paths: within the element limit, but librsvg holds far more than 40 MB to read them.
    const dense = manyPaths(19_000)
    const hungry = decoder({ svg: { timeMs: 60_000, extraMemoryBytes: 40 * MB } })
    await expect(checkImage('dense.svg', Buffer.from(dense), hungry)).rejects.toThrow(
      'dense.svg: decoding it needed more than 40 MB of memory and was stopped'
    )
    expect(hungry.stats.endedForMemory).toBe(1)
    // The header read is under the time limit too.
    const hasty = decoder({ svg: { timeMs: 100, extraMemoryBytes: 512 * MB } })
    await expect(checkImage('dense.svg', Buffer.from(dense), hasty)).rejects.toThrow(
      'dense.svg: decoding it took longer than 0.1 s and was stopped'
    )
  })
})

describe('hostile SVGs in the command line', () => {
  it('are refused with one line naming the file, exit code 2', async () => {
    const dir = tempDir()
    await writeFile(join(dir, 'bomb.svg'), useBomb())
    await writeFile(join(dir, 'line.svg'), lineSvg())
    const err: string[] = []
    const code = await runCli(['evaluate', join(dir, 'bomb.svg'), join(dir, 'line.svg')], {
      out: () => undefined,
      err: (line) => err.push(line)
    })
    expect(code).toBe(2)
    expect(err).toEqual([expect.stringMatching(/^sightline: bomb\.svg: the SVG draws [\d,]+ elements once its <use>/)])
  })
})
