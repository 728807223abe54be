import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { hostAndBrowser, type HostProcess } from './harness.ts'
import { gotoStudio } from './studio-page.ts'

describe('settings in Chromium through the host', () => {
  const env = hostAndBrowser()
  let host: HostProcess, browser: Browser
  beforeAll(() => ({ host, browser } = env))

  it('a chosen theme and tool size are there again after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await gotoStudio(page, host.url)
    await page.getByTestId('show-settings').click()
    await page.getByTestId('settings-theme-dark').click()
    await page.getByTestId('settings-name').fill('Ada')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Escape')
    await page.getByTestId('drawing-surface').focus()
    await page.keyboard.press(']') // a size step is remembered too
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
    await expect.poll(background).toBe('rgb(27, 27, 29)')
    // Saved in the data folder before the reload.
    const saved = () => {
      try {
        return JSON.parse(readFileSync(join(env.dataDir, 'settings.json'), 'utf8')).settings
      } catch {
        return null
      }
    }
    await expect.poll(saved).toMatchObject({ name: 'Ada', theme: 'dark', toolSizes: { pen: 4 } })

    await page.reload()
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await expect.poll(background).toBe('rgb(27, 27, 29)')
    await page.getByTestId('show-settings').click()
    expect(await page.getByTestId('settings-name').inputValue()).toBe('Ada')
    expect(await page.getByTestId('settings-theme-dark').getAttribute('aria-checked')).toBe('true')
    await page.keyboard.press('Escape')
    expect(await page.getByTestId('tool-size').getAttribute('aria-valuetext')).toBe('4 pixels')
    await page.close()
  })
})
